import type { ServerResponse } from "node:http";

/** Bodies up to this size are batched and written as a latin1 string (see endWith); larger ones go out at once. */
const ONE_WRITE_BYTES = 16 << 10;

/**
 * Ends whole responses with small bodies together, once the event loop has run every callback
 * that is ready now (a `setImmediate` per turn, not per response).
 *
 * Why: on loopback the write that sends a response also wakes the client's thread when it
 * sleeps, and a busy server finds it asleep at nearly every write. Ended in a burst, the first
 * write wakes it and the rest find it running (BENCHMARKS.md). A response waits at most for the
 * requests taken in the same turn.
 */
export class WholeResponses {
  private responses: ServerResponse[] = [];
  private bodies: Array<readonly Uint8Array[] | undefined> = [];

  /** Ends `res` with `body`, the chunks in order, `length` bytes in all (the caller has counted them for its head). */
  end(res: ServerResponse, body: readonly Uint8Array[] | undefined, length: number): void {
    // A large body is worth its own wake-up, and held back it would wait for every read of the
    // turn (a 1 MiB echo lost throughput).
    if (length > ONE_WRITE_BYTES) {
      if (!res.destroyed) endWithChunks(res, body!);
      return;
    }
    if (this.responses.length === 0) setImmediate(this.flush);
    this.responses.push(res);
    this.bodies.push(length > 0 ? body : undefined);
  }

  private readonly flush = (): void => {
    const { responses, bodies } = this;
    this.responses = [];
    this.bodies = [];
    for (let i = 0; i < responses.length; i++) {
      const res = responses[i]!;
      try {
        endWith(res, bodies[i]);
      } catch {
        // One response that cannot end must not leave the rest of the turn's unanswered.
        res.destroy();
      }
    }
  };
}

/**
 * Ends a response with `body`. Given a string, Node joins the head and body into one buffer;
 * given bytes, it corks the socket and queues them apart, which costs a small response's
 * throughput. latin1 maps every byte to one character and back, so the bytes sent are
 * the same.
 */
function endWith(res: ServerResponse, body: readonly Uint8Array[] | undefined): void {
  if (res.destroyed) return;
  if (!body) return void res.end();
  const bytes = body.length === 1 ? body[0]! : Buffer.concat(body);
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1"), "latin1");
}

/**
 * Ends a response with a body given as chunks, each written as it is (joining them would copy
 * the body once more). Node corks the socket for writes made in the same tick and uncorks it at
 * `end`: the head and every chunk leave in one writev.
 */
export function endWithChunks(res: ServerResponse, chunks: readonly Uint8Array[]): void {
  const last = chunks.length - 1;
  for (let i = 0; i < last; i++) res.write(chunks[i]);
  res.end(chunks[last]);
}
