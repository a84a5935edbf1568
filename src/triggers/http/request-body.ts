import type { IncomingMessage } from "node:http";
import type { BodyFeeder } from "../../engine/worker/job-handle.js";
import type { InlineOrStreamed } from "../../engine/worker/protocol.js";

/**
 * Bodies up to this size with a known length are read whole and travel with the job (and can run
 * inline, see InlineRunner); larger ones stream. 1 MiB: big enough that a 1 MiB echo needs no
 * stream (BENCHMARKS.md), small enough that 50 such bodies in flight hold 50 MB.
 */
export const INLINE_BODY_LIMIT = 1024 * 1024;

export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** How a body reaches the guest, and (for a streamed one) the bytes already read off the socket. */
export interface PreparedBody {
  body: InlineOrStreamed;
  prefix?: Buffer;
}

const NO_BODY: PreparedBody = { body: { inline: [] } };

/** The body of a request that declares none (no length, not chunked): most GETs. Known without waiting. */
export function declaredEmpty(req: IncomingMessage): PreparedBody | undefined {
  const headers = req.headers;
  if (headers["transfer-encoding"] !== undefined) return undefined;
  const declared = headers["content-length"];
  return declared === undefined || declared === "0" ? NO_BODY : undefined;
}

/**
 * Decides how a request body reaches the guest. A known small body is read whole first (one
 * message instead of a stream); anything else streams with back-pressure. A declared length over
 * `limit` is refused before any byte is read. A body of unknown length (chunked) is read up to the
 * inline size first, so a small one goes inline and one over a small limit is refused with 413
 * before the guest runs; past that it streams and is cut off when it passes `limit`.
 */
export async function prepareBody(req: IncomingMessage, limit: number): Promise<PreparedBody> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (length > limit) throw new BodyTooLarge(limit);
    if (length <= INLINE_BODY_LIMIT) return { body: { inline: await readWhole(req, length) } };
    return { body: { streamed: true } };
  }
  if (req.headers["transfer-encoding"] === undefined) return NO_BODY;
  const { chunks, total, ended } = await readPrefix(req, Math.min(limit, INLINE_BODY_LIMIT));
  if (total > limit) throw new BodyTooLarge(limit);
  return ended ? { body: { inline: chunks } } : { body: { streamed: true }, prefix: Buffer.concat(chunks) };
}

/** Reads until the body ends or more than `max` bytes have come; leaves the request paused. */
function readPrefix(req: IncomingMessage, max: number): Promise<{ chunks: Buffer[]; total: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (ended: boolean) => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
      resolve({ chunks, total, ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > max) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onError = (error: Error) => reject(error);
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

/** The body's chunks as read: joined they would be copied once more (1 MiB echo: see BufferInput). */
async function readWhole(req: IncomingMessage, length: number): Promise<Buffer[]> {
  if (length === 0) {
    req.resume();
    return [];
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks;
}

/**
 * Pipes a streamed body into the guest's feeder, pausing the socket while the guest is a window
 * behind. `onTooLarge` fires (once) if the body passes `limit`; the guest's read then fails.
 */
export function pumpBody(
  req: IncomingMessage,
  feeder: BodyFeeder,
  limit: number,
  onTooLarge: () => void,
  prefix?: Buffer,
): void {
  let received = 0;
  let feederFull = false;
  feeder.onDrain(() => {
    feederFull = false;
    req.resume();
  });
  const onChunk = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) {
      feeder.abort(`request body larger than ${limit} bytes`);
      req.off("data", onChunk);
      req.resume();
      onTooLarge();
      return;
    }
    feederFull = !feeder.push(chunk);
    if (feederFull) req.pause();
  };
  req.on("data", onChunk);
  if (prefix) {
    // prepareBody paused the request after reading the prefix: feed it, then let the rest flow.
    req.pause();
    onChunk(prefix);
    if (received <= limit && !feederFull) req.resume();
  }
  req.on("end", () => {
    if (received <= limit) feeder.end();
  });
  req.on("aborted", () => feeder.abort("the client aborted the request"));
}
