import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { OutputStream } from "../engine/io/streams.js";
import { RotatingFile } from "./rotating-file.js";

/** What one request may write to each of stdout and stderr; the rest is dropped, and a line says so. */
export const LOG_BYTES_PER_REQUEST = 1 << 20;
/** A terminal line longer than this is cut (the file keeps it whole). */
const MAX_TERMINAL_LINE = 16 << 10;
/**
 * Lines for the terminal wait until this much is held or this long has passed since the last
 * write to it: a guest's terminal write from a worker is a message to the main thread, and a
 * guest writing 50,000 short lines one write each held the server's thread for most of a second.
 */
const TERMINAL_BATCH_CHARS = 16 << 10;
const TERMINAL_BATCH_MS = 20;

/**
 * A component's log: everything it writes to stdout/stderr goes to `<logDir>/<component>_stdout.txt`
 * / `_stderr.txt` (as Spin does under .spin/logs) and, line by line and prefixed with
 * `[component]`, to the terminal. Bounded whatever the guest writes: LOG_BYTES_PER_REQUEST per
 * request and stream, and each file rotates at its cap (see RotatingFile). Writes are
 * synchronous: the guest runs synchronously on a worker thread.
 */
export class ComponentLog {
  private readonly stdout: RotatingFile;
  private readonly stderr: RotatingFile;

  constructor(
    readonly componentId: string,
    logDir: string,
    private readonly terminal: (line: string) => void = (line) => process.stderr.write(line),
    /** Values of secret variables: written as `[redacted]` wherever the guest prints them. */
    private readonly secrets: readonly string[] = [],
  ) {
    mkdirSync(logDir, { recursive: true });
    this.stdout = new RotatingFile(join(logDir, `${componentId}_stdout.txt`));
    this.stderr = new RotatingFile(join(logDir, `${componentId}_stderr.txt`));
  }

  /** Fresh per-job streams: a partial last line is flushed when the job closes them. */
  streams(): { stdout: LineLogStream; stderr: LineLogStream } {
    return {
      stdout: new LineLogStream(this.stdout, this.componentId, this.terminal, this.secrets, "stdout"),
      stderr: new LineLogStream(this.stderr, this.componentId, this.terminal, this.secrets, "stderr"),
    };
  }

  close(): void {
    this.stdout.close();
    this.stderr.close();
  }
}

/** One request's stdout or stderr: bytes in, lines out, LOG_BYTES_PER_REQUEST at most. */
export class LineLogStream implements OutputStream {
  private partial = "";
  private readonly decoder = new TextDecoder();
  private kept = 0;
  private dropped = false;
  /** Lines for the terminal not yet written, and when it was last written to. */
  private held = "";
  private lastTerminalWrite = 0;

  constructor(
    private readonly file: RotatingFile,
    private readonly componentId: string,
    private readonly terminal: (line: string) => void,
    private readonly secrets: readonly string[] = [],
    private readonly streamName = "stderr",
    private readonly capBytes = LOG_BYTES_PER_REQUEST,
  ) {}

  write(bytes: Uint8Array): void {
    if (this.dropped) return;
    // Cut to what the request may still log before anything is decoded: a guest's one write of
    // 200 MiB is never turned into one string.
    const room = this.capBytes - this.kept;
    const taken = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.kept += taken.length;
    this.take(taken);
    if (taken.length < bytes.length) {
      this.dropped = true;
      this.close();
      const marker = `wisp: ${this.componentId} wrote more than ${this.capBytes} bytes to ${this.streamName} in one request; the rest of this request's ${this.streamName} is dropped\n`;
      this.file.write(marker);
      this.toTerminal(`[${this.componentId}] ${marker}`, true);
    }
  }

  /** One byte more than the room left: a write past it is seen, and dropped with its marker. */
  keeps(): number {
    return this.dropped ? 0 : this.capBytes - this.kept + 1;
  }

  private take(bytes: Uint8Array): void {
    // Without secrets the file gets the bytes exactly; with them, whole lines, redacted.
    if (this.secrets.length === 0 && bytes.length > 0) this.file.write(bytes);
    const lines = (this.partial + this.decoder.decode(bytes, { stream: true })).split("\n");
    this.partial = lines.pop() ?? "";
    // A line that never ends is not held whole: it goes out in pieces (cut on the terminal).
    if (this.partial.length > MAX_TERMINAL_LINE) {
      lines.push(this.partial);
      this.partial = "";
    }
    if (lines.length === 0) return;
    const redacted = lines.map((line) => this.redact(line));
    if (this.secrets.length > 0) this.file.write(redacted.map((line) => line + "\n").join(""));
    this.toTerminal(redacted.map((line) => `[${this.componentId}] ${cut(line)}\n`).join(""), false);
  }

  private toTerminal(text: string, now: boolean): void {
    this.held += text;
    const at = performance.now();
    if (!now && this.held.length < TERMINAL_BATCH_CHARS && at - this.lastTerminalWrite < TERMINAL_BATCH_MS) return;
    this.terminal(this.held);
    this.held = "";
    this.lastTerminalWrite = at;
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
      if (this.secrets.length > 0) this.file.write(line);
      this.held += `[${this.componentId}] ${cut(line)}\n`;
    }
    this.partial = "";
    if (this.held) this.toTerminal("", true);
  }
}

function cut(line: string): string {
  return line.length > MAX_TERMINAL_LINE ? `${line.slice(0, MAX_TERMINAL_LINE)}[...]` : line;
}
