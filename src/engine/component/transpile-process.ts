import { WispError } from "../../errors/wisp-error.js";
import type { TranspileJob, TranspileOutcome } from "./transpile-component.js";
import { componentizeInto } from "./componentize-into.js";
import { transpileInto } from "./transpile-into.js";

/** Entry of the process that translates one component into the cache (see transpileInProcess), then exits. */
process.once("message", (job: TranspileJob) => void translate(job));
// The server went away (stopped while it started): nobody waits for the work, so it ends here.
process.once("disconnect", () => process.exit(0));

async function translate(job: TranspileJob): Promise<void> {
  let outcome: TranspileOutcome;
  try {
    if (job.kind === "transpile") await transpileInto(job.bytes, job.dir, job.map, job.glue, job.suspending);
    else await componentizeInto(job.bytes, job.out);
    outcome = { ok: true };
  } catch (error) {
    outcome =
      error instanceof WispError
        ? { ok: false, message: error.message, code: error.code, hint: error.hint }
        : { ok: false, message: (error as Error).message ?? String(error) };
  }
  if (!process.connected) return;
  process.send!(outcome, () => {
    if (process.connected) process.disconnect();
  });
}
