/** The number of bytes in `chunks` (0 for none): a body or a guest's iovecs, kept as pieces. */
export function byteLength(chunks: readonly Uint8Array[] | undefined): number {
  let total = 0;
  for (const chunk of chunks ?? []) total += chunk.length;
  return total;
}
