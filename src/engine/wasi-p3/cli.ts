import { readableByteStreamFromReader } from "@bytecodealliance/preview3-shim/stream";
import type { OutputStream as ByteSink } from "../io/streams.js";
import type * as Environment from "../../generated/wasi-cli@0.3.0/interfaces/wasi-cli-environment.js";
import type * as Exit from "../../generated/wasi-cli@0.3.0/interfaces/wasi-cli-exit.js";
import { GuestExit, TerminalInput, TerminalOutput, type CliEnvironment } from "../wasi-p2/cli-filesystem.js";

/**
 * One run's standard streams, as the host hands them over: output as 0.2's (see CliStdio), stdin
 * read asynchronously, since a guest that waits for input must leave its thread to the tasks
 * writing its output (a prompt, then a read).
 */
export interface P3Stdio {
  stdin: AsyncIterable<Uint8Array>;
  stdout: ByteSink;
  stderr: ByteSink;
}

/** wasi:cli's `error-code` as 0.3 names its cases. */
type CliResult = { tag: "ok"; val: undefined } | { tag: "err"; val: "io" | "illegal-byte-sequence" | "pipe" };

const OK: CliResult = { tag: "ok", val: undefined };
/** How much of the guest's stream one read takes: the size of a pipe's buffer. */
const CHUNK = 64 * 1024;

/**
 * Drains the guest's `stream<u8>` into `sink`. Its end (the guest dropped its writer) is the
 * future's ok; a sink whose reader left (a client gone, a closed pipe) is `pipe`, after which the
 * guest's stream is cancelled.
 */
async function drainInto(stream: unknown, sink: () => ByteSink): Promise<CliResult> {
  const readable = readableByteStreamFromReader(stream, { chunkSize: CHUNK, name: "wasi:cli output stream" });
  try {
    for await (const chunk of readable as AsyncIterable<Uint8Array>) sink().write(chunk);
    return OK;
  } catch {
    await readable.cancel().catch(() => undefined);
    return { tag: "err", val: "pipe" };
  }
}

/** No input: what a request's stdin is (its body is a stream of its own). */
export const NO_STDIN: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }),
};

/**
 * wasi:cli 0.3: the environment and exit of 0.2 (`initial-cwd` now `get-initial-cwd`, exit gains
 * `exit-with-code`), and stdio as streams: `read-via-stream` hands the guest its stdin,
 * `write-via-stream` takes the guest's stream whole. `stdio` gives the streams of the run being
 * served (the imports serve every run). Stdio is not typed by the generated WIT types: those say
 * ReadableStream (jco 1.12's view), where the async glue hands over and takes its own stream objects.
 */
export function cliImports(environment: CliEnvironment, stdio: () => P3Stdio) {
  return {
    "wasi:cli/environment": {
      getEnvironment: () => environment.env,
      getArguments: () => environment.args,
      getInitialCwd: () => undefined,
    } satisfies typeof Environment,
    "wasi:cli/exit": {
      exit: (status: { tag: "ok" | "err" }) => {
        throw new GuestExit(status.tag === "ok");
      },
      exitWithCode: (code: number) => {
        throw new GuestExit(code === 0, code);
      },
    } satisfies typeof Exit,
    "wasi:cli/types": {},
    "wasi:cli/stdin": {
      readViaStream: (): [AsyncIterable<Uint8Array>, Promise<CliResult>] => [stdio().stdin, Promise.resolve(OK)],
    },
    "wasi:cli/stdout": { writeViaStream: (data: unknown) => drainInto(data, () => stdio().stdout) },
    "wasi:cli/stderr": { writeViaStream: (data: unknown) => drainInto(data, () => stdio().stderr) },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
  };
}
