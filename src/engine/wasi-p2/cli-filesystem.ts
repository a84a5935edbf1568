import type { InputStream as ByteSource, OutputStream as ByteSink } from "../io/streams.js";
import { InputStream, OutputStream } from "./io.js";

/** Thrown by wasi:cli/exit to unwind the guest. */
export class GuestExit extends Error {
  override readonly name = "GuestExit";
  constructor(readonly ok: boolean) {
    super(ok ? "the guest exited" : "the guest exited with an error status");
  }
}

export interface CliContext {
  args: string[];
  env: Array<[string, string]>;
  stdin: ByteSource;
  stdout: ByteSink;
  stderr: ByteSink;
}

export class TerminalInput {}
export class TerminalOutput {}

/** wasi:cli: args and environment (only what the manifest grants), stdio, exit; no terminal. */
export function cliImports(context: CliContext) {
  const stdin = new InputStream(context.stdin);
  const stdout = new OutputStream(context.stdout);
  const stderr = new OutputStream(context.stderr);
  return {
    "wasi:cli/environment": {
      getEnvironment: () => context.env,
      getArguments: () => context.args,
      initialCwd: () => undefined,
    },
    "wasi:cli/exit": {
      exit: (status: { tag: "ok" | "err" }) => {
        throw new GuestExit(status.tag === "ok");
      },
    },
    "wasi:cli/stdin": { getStdin: () => stdin },
    "wasi:cli/stdout": { getStdout: () => stdout },
    "wasi:cli/stderr": { getStderr: () => stderr },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
  };
}
