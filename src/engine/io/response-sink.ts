import type { OutputStream } from "./streams.js";

/** Where a guest's response goes. `head` once, then body writes, then `body.close()`. */
export interface ResponseSink {
  head(status: number, headers: ReadonlyArray<readonly [string, string]>): void;
  readonly headSent: boolean;
  body: OutputStream;
}
