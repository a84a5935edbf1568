import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { OutputStream } from "../engine/io/streams.js";

/**
 * A component's log: everything it writes to stdout/stderr goes, whole, to
 * `<logDir>/<component>_stdout.txt` / `_stderr.txt` (as Spin does under .spin/logs) and, line by
 * line and prefixed with `[component]`, to the terminal. Writes are synchronous: the guest runs
 * synchronously on a worker thread.
 */
export class ComponentLog {
  private readonly stdoutFd: number;
  private readonly stderrFd: number;

  constructor(
    readonly componentId: string,
    logDir: string,
    private readonly terminal: (line: string) => void = (line) => process.stderr.write(line),
    /** Values of secret variables: written as `[redacted]` wherever the guest prints them. */
    private readonly secrets: readonly string[] = [],
  ) {
    mkdirSync(logDir, { recursive: true });
    this.stdoutFd = openSync(join(logDir, `${componentId}_stdout.txt`), "a");
    this.stderrFd = openSync(join(logDir, `${componentId}_stderr.txt`), "a");
  }

  /** Fresh per-job streams: a partial last line is flushed when the job closes them. */
  streams(): { stdout: LineLogStream; stderr: LineLogStream } {
    return {
      stdout: new LineLogStream(this.stdoutFd, this.componentId, this.terminal, this.secrets),
      stderr: new LineLogStream(this.stderrFd, this.componentId, this.terminal, this.secrets),
    };
  }

  close(): void {
    closeSync(this.stdoutFd);
    closeSync(this.stderrFd);
  }
}

export class LineLogStream implements OutputStream {
  private partial = "";
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly fd: number,
    private readonly componentId: string,
    private readonly terminal: (line: string) => void,
    private readonly secrets: readonly string[] = [],
  ) {}

  write(bytes: Uint8Array): void {
    // Without secrets the file gets the bytes exactly; with them, whole lines, redacted.
    if (this.secrets.length === 0) writeSync(this.fd, bytes);
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    if (lines.length === 0) return;
    const redacted = lines.map((line) => this.redact(line));
    if (this.secrets.length > 0) writeSync(this.fd, redacted.map((line) => line + "\n").join(""));
    this.terminal(redacted.map((line) => `[${this.componentId}] ${line}\n`).join(""));
  }

  private redact(line: string): string {
    let out = line;
    for (const secret of this.secrets) out = out.replaceAll(secret, "[redacted]");
    return out;
  }

  capacity(): number {
    return 1 << 16;
  }

  close(): void {
    if (this.partial) {
      const line = this.redact(this.partial);
      if (this.secrets.length > 0) writeSync(this.fd, line);
      this.terminal(`[${this.componentId}] ${line}\n`);
    }
    this.partial = "";
  }
}
