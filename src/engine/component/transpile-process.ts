import { WispError } from "../../errors/wisp-error.js";
import type { TranspileJob, TranspileOutcome } from "./transpile-component.js";
import { transpileInto } from "./transpile-into.js";

/** Entry of the process that translates one component into the cache (see transpileInProcess), then exits. */
process.once("message", (job: TranspileJob) => void translate(job));

async function translate({ bytes, dir, versioned }: TranspileJob): Promise<void> {
  let outcome: TranspileOutcome;
  try {
    await transpileInto(bytes, dir, versioned);
    outcome = { ok: true };
  } catch (error) {
    outcome =
      error instanceof WispError
        ? { ok: false, message: error.message, code: error.code, hint: error.hint }
        : { ok: false, message: (error as Error).message ?? String(error) };
  }
  process.send!(outcome, () => process.disconnect());
}
