import { CollectingOutput } from "../../src/engine/io/memory-streams.js";
import type { ResponseSink } from "../../src/engine/worker/job.js";

/** A ResponseSink that keeps the response in memory, for running executors in-process. */
export class CollectingResponse implements ResponseSink {
  status: number | undefined;
  headers: Array<[string, string]> = [];
  headSent = false;
  readonly body = new CollectingOutput();

  head(status: number, headers: ReadonlyArray<readonly [string, string]>): void {
    this.status = status;
    this.headers = headers.map(([k, v]) => [k, v]);
    this.headSent = true;
  }
}
