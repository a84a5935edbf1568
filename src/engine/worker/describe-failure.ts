import { StreamClosed } from "../io/streams.js";
import { JobFailed } from "./job.js";
import { CLIENT_CLOSED, type JobOutcome } from "./protocol.js";

/**
 * How a job that threw ends, wherever it ran: a JobFailed keeps its status, a closed client is
 * CLIENT_CLOSED, a trap is a 500 with the wasm backtrace, anything else a 500 with its stack.
 */
export function describeFailure(error: unknown): JobOutcome {
  if (error instanceof JobFailed) return { kind: "failed", status: error.status, message: error.message };
  if (error instanceof StreamClosed)
    return { kind: "failed", status: CLIENT_CLOSED, message: "the client closed the connection" };
  if (typeof error === "object" && error !== null && !(error instanceof Error))
    // A WIT error value a host threw from a call whose interface has no error case for it: the glue traps.
    return { kind: "failed", status: 500, message: `error: a host call failed with ${describeValue(error)}` };
  const e = error as Error;
  const trap = e instanceof WebAssembly.RuntimeError;
  const detail = trap ? `trap: ${e.message}\n${wasmBacktrace(e)}` : `error: ${e?.stack ?? String(e)}`;
  return { kind: "failed", status: 500, message: detail };
}

/** The wasm frames of a trap's stack, one per line (`wasm-function[12]:0x1a2b` or a name section name). */
function wasmBacktrace(error: Error): string {
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.includes("wasm://") || line.includes("wasm-function"));
  return frames.length ? "wasm backtrace:\n" + frames.map((f) => "  " + f.trim()).join("\n") : "(no wasm backtrace)";
}

function describeValue(value: object): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v));
  } catch {
    return Object.prototype.toString.call(value);
  }
}
