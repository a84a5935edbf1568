import type { IncomingMessage } from "node:http";
import type { BodyFeeder } from "../../engine/worker/job-handle.js";
import type { InlineOrStreamed } from "../../engine/worker/protocol.js";

/** Bodies up to this size with a known length travel with the job; larger ones stream. */
export const INLINE_BODY_LIMIT = 64 * 1024;

export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/**
 * Decides how a request body reaches the guest. A known small body is read whole first (one
 * message instead of a stream); anything else streams with back-pressure. A declared length over
 * `limit` is refused before any byte is read; an undeclared one is cut off when it passes `limit`.
 */
export async function prepareBody(req: IncomingMessage, limit: number): Promise<InlineOrStreamed> {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (length > limit) throw new BodyTooLarge(limit);
    if (length <= INLINE_BODY_LIMIT) return { inline: await readWhole(req, length) };
  } else if (req.headers["transfer-encoding"] === undefined) {
    return { inline: new Uint8Array(0) };
  }
  return { streamed: true };
}

async function readWhole(req: IncomingMessage, length: number): Promise<Uint8Array> {
  if (length === 0) {
    req.resume();
    return new Uint8Array(0);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Pipes a streamed body into the guest's feeder, pausing the socket while the guest is a window
 * behind. `onTooLarge` fires (once) if the body passes `limit`; the guest's read then fails.
 */
export function pumpBody(req: IncomingMessage, feeder: BodyFeeder, limit: number, onTooLarge: () => void): void {
  let received = 0;
  feeder.onDrain(() => req.resume());
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) {
      feeder.abort(`request body larger than ${limit} bytes`);
      req.removeAllListeners("data");
      req.resume();
      onTooLarge();
      return;
    }
    if (!feeder.push(chunk)) req.pause();
  });
  req.on("end", () => {
    if (received <= limit) feeder.end();
  });
  req.on("aborted", () => feeder.abort("the client aborted the request"));
}
