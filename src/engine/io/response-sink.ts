import type { OutputStream } from "./streams.js";

/** Where a guest's response goes. `head` once, then body writes, then `body.close()`. */
export interface ResponseSink {
  head(status: number, headers: ReadonlyArray<readonly [string, string]>): void;
  readonly headSent: boolean;
  body: OutputStream;
  /**
   * Sends what the body has buffered now, rather than when the buffer fills or the body ends: a
   * guest that streams (events, an echo) between waits of its own. Absent where nothing is held.
   */
  flush?(): void;
  /**
   * Fields to send after the body (HTTP/1.1 chunked trailers), before `body.close()`. Absent where
   * a response cannot carry them.
   */
  trailers?(fields: ReadonlyArray<readonly [string, string]>): void;
}
