import { fstat, read, write } from "node:fs";
import { promisify } from "node:util";
import { readableByteStreamFromReader } from "@bytecodealliance/preview3-shim/stream";
import type { OpenFile } from "../wasi-p2/open-files.js";

/**
 * A file's bytes as 0.3's streams carry them: read from an open host file as the guest reads, and
 * the guest's stream written into one as it arrives. Both go through libuv's pool (node:fs's
 * callback calls), so a request's thread serves others meanwhile.
 */

const readAt = promisify(read);
const writeAt = promisify(write);
const sizeOf = promisify(fstat);

/** How much of a file one read of its stream takes, and of the guest's stream one write. */
const CHUNK = 64 * 1024;

/**
 * `generator`, telling `end` when the guest drops the stream before its end (the glue then calls
 * `return`): ok, what it read was read. A generator ended before it started never runs its
 * `finally`, so `return` itself tells.
 */
export function endingOnDrop<T>(generator: AsyncGenerator<T>, end: () => void): AsyncGenerator<T> {
  const finish = generator.return.bind(generator);
  generator.return = (value) => {
    end();
    return finish(value);
  };
  return generator;
}

/** The bytes of `file` from `offset` to its end; `done` is told how it ended. */
export function fileBytes(file: OpenFile, offset: number, done: (failure?: unknown) => void) {
  return endingOnDrop(bytesFrom(file, offset, done), () => done());
}

async function* bytesFrom(file: OpenFile, offset: number, done: (failure?: unknown) => void) {
  try {
    let position = offset;
    for (;;) {
      const buffer = new Uint8Array(CHUNK);
      const { bytesRead } = await file.use((fd) => readAt(fd, buffer, 0, CHUNK, position));
      if (bytesRead === 0) break;
      position += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
    done();
  } catch (failure) {
    done(failure);
  }
}

/** The guest's stream failed (the glue could not read it): the write ends as `io`. */
class GuestStreamFailed extends Error {
  readonly code = "EIO";
}

/**
 * Writes the guest's `stream<u8>` into `file`, from `offset`, or each chunk at the file's end as
 * it is then (`append`). Resolves when the guest ends its stream; rejects with the host's failure
 * (or EIO if the stream itself failed), after which the guest's stream is cancelled.
 */
export async function writeGuestStream(
  stream: unknown,
  file: OpenFile,
  at: { offset: number } | "append",
): Promise<void> {
  const readable = readableByteStreamFromReader(stream, { chunkSize: CHUNK, name: "wasi:filesystem write stream" });
  const reader = (readable as ReadableStream<Uint8Array>).getReader();
  let position = at === "append" ? 0 : at.offset;
  try {
    for (;;) {
      const { done, value: chunk } = await reader.read().catch((failure: unknown) => {
        throw new GuestStreamFailed(String(failure));
      });
      if (done) return;
      if (at === "append") position = Number((await file.use((fd) => sizeOf(fd, { bigint: true }))).size);
      for (let written = 0; written < chunk.length;) {
        const { bytesWritten } = await file.use((fd) => writeAt(fd, chunk, written, chunk.length - written, position));
        written += bytesWritten;
        position += bytesWritten;
      }
    }
  } catch (failure) {
    await reader.cancel().catch(() => undefined);
    throw failure;
  }
}
