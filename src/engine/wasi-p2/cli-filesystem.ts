import type { InputStream as ByteSource, OutputStream as ByteSink } from "../io/streams.js";
import { InputStream, OutputStream } from "./io.js";

/** Thrown by wasi:cli/exit to unwind the guest: `code` is its exit status (0.3's `exit-with-code` gives one; else 0 or 1). */
export class GuestExit extends Error {
  override readonly name = "GuestExit";
  constructor(
    readonly ok: boolean,
    readonly code: number = ok ? 0 : 1,
  ) {
    super(ok ? "the guest exited" : `the guest exited with status ${code}`);
  }
}

/** What a component's wasi:cli serves every request: its arguments and the environment the manifest grants. */
export interface CliEnvironment {
  args: string[];
  env: Array<[string, string]>;
}

/** One request's standard streams, as the host hands them over. */
export interface CliStdio {
  stdin: ByteSource;
  stdout: ByteSink;
  stderr: ByteSink;
}

/** The same, as wasi:io streams: what `get-stdout` and the others return during that request. */
export interface CliStreams {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

export function cliStreams(stdio: CliStdio): CliStreams {
  return {
    stdin: new InputStream(stdio.stdin),
    stdout: new OutputStream(stdio.stdout),
    stderr: new OutputStream(stdio.stderr),
  };
}

export class TerminalInput {}
export class TerminalOutput {}

/**
 * wasi:cli: args and environment (only what the manifest grants), stdio, exit; no terminal.
 * `streams` gives the streams of the request being served (the imports serve every request).
 */
export function cliImports(environment: CliEnvironment, streams: () => CliStreams) {
  return {
    "wasi:cli/environment": {
      getEnvironment: () => environment.env,
      getArguments: () => environment.args,
      initialCwd: () => undefined,
    },
    "wasi:cli/exit": {
      exit: (status: { tag: "ok" | "err" }) => {
        throw new GuestExit(status.tag === "ok");
      },
    },
    "wasi:cli/stdin": { getStdin: () => streams().stdin },
    "wasi:cli/stdout": { getStdout: () => streams().stdout },
    "wasi:cli/stderr": { getStderr: () => streams().stderr },
    "wasi:cli/terminal-input": { TerminalInput },
    "wasi:cli/terminal-output": { TerminalOutput },
    "wasi:cli/terminal-stdin": { getTerminalStdin: () => undefined },
    "wasi:cli/terminal-stdout": { getTerminalStdout: () => undefined },
    "wasi:cli/terminal-stderr": { getTerminalStderr: () => undefined },
  };
}
