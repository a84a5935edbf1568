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
  ) {
    mkdirSync(logDir, { recursive: true });
    this.stdoutFd = openSync(join(logDir, `${componentId}_stdout.txt`), "a");
    this.stderrFd = openSync(join(logDir, `${componentId}_stderr.txt`), "a");
  }

  /** Fresh per-job streams: a partial last line is flushed when the job closes them. */
  streams(): { stdout: LineLogStream; stderr: LineLogStream } {
    return {
      stdout: new LineLogStream(this.stdoutFd, this.componentId, this.terminal),
      stderr: new LineLogStream(this.stderrFd, this.componentId, this.terminal),
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
  ) {}

  write(bytes: Uint8Array): void {
    writeSync(this.fd, bytes);
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    if (lines.length > 0) this.terminal(lines.map((line) => `[${this.componentId}] ${line}\n`).join(""));
  }

  capacity(): number {
    return 1 << 16;
  }

  close(): void {
    if (this.partial) this.terminal(`[${this.componentId}] ${this.partial}\n`);
    this.partial = "";
  }
}
