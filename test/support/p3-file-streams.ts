import type { Descriptor } from "../../src/engine/wasi-p3/descriptor.js";

/** A guest's `stream<u8>` as the glue hands it over: a reader giving the chunks, then its end. */
export function guestStream(...chunks: string[]) {
  const pending = chunks.map((chunk) => new TextEncoder().encode(chunk));
  return {
    read: () =>
      Promise.resolve(pending.length > 0 ? { done: false, value: pending.shift() } : { done: true, value: undefined }),
  };
}

/** A file's bytes as the guest would read them through read-via-stream, and how its future ended. */
export async function readAll(descriptor: Descriptor, offset = 0n): Promise<{ text: string; result: unknown }> {
  const [bytes, result] = descriptor.readViaStream(offset);
  let text = "";
  for await (const chunk of bytes) text += new TextDecoder().decode(chunk);
  return { text, result: await result };
}
