/**
 * A quick look for the bytes a bulk memory or table instruction starts with (0xFC, then 8 to 17):
 * false means the module surely has none, so the decoding that finds them (see guardSizedOps:
 * every instruction, slow on a big module) can be skipped. Apart from meter-fuel so that checking loads no decoder.
 */
export function mayHaveSizedOps(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xfc); i >= 0; i = bytes.indexOf(0xfc, i + 1)) {
    const next = bytes[i + 1]!;
    if (next >= 8 && next <= 17) return true;
  }
  return false;
}
