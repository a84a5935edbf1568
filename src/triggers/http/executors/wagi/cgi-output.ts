import type { OutputStream } from "../../../../engine/io/streams.js";
import type { ResponseSink } from "../../../../engine/worker/job.js";

/** Headers longer than this without a blank line are not CGI output. */
const MAX_HEAD = 64 * 1024;

/**
 * Reads a WAGI module's stdout as CGI output (RFC 3875 §6): header lines, a blank line, the body.
 * The head is parsed as soon as the blank line arrives and the body then streams straight through.
 * `status: NNN reason` sets the status; `location` without a status means 302. Output with neither
 * `content-type` nor `location` is a 500 and a status that is not a number a 502: the guest's
 * further output is dropped and `failure` says why.
 */
export class CgiOutput implements OutputStream {
  private head: Uint8Array[] = [];
  private headLength = 0;
  /** The head's last bytes (at most 2): a blank line may begin in an earlier write. */
  private recent: Uint8Array = new Uint8Array(0);
  private inBody = false;
  failure: { status: number; message: string } | undefined;

  constructor(private readonly sink: ResponseSink) {}

  write(bytes: Uint8Array): void {
    if (this.failure) return;
    if (this.inBody) return this.sink.body.write(bytes);
    // The bytes are ours to keep (OutputStream). Only the new bytes are searched for the blank
    // line (with the two before them): a head written a byte at a time then costs linear time,
    // where searching the whole head again per write took minutes for 60 KiB.
    const before = this.headLength;
    this.head.push(bytes);
    this.headLength += bytes.length;
    const window = this.recent.length === 0 ? bytes : Buffer.concat([this.recent, bytes]);
    const found = findBlankLine(window);
    if (found) {
      const offset = before - (window.length - bytes.length);
      // A head usually comes in one write: it is parsed from that write's bytes, and pieces are
      // joined only when it does not.
      const whole = this.head.length === 1 ? bytes : Buffer.concat(this.head, this.headLength);
      this.inBody = true;
      this.head = [];
      const headEnd = offset + found.headEnd;
      if (headEnd > MAX_HEAD) return this.tooLong();
      this.sendHead(Buffer.from(whole.buffer, whole.byteOffset, headEnd).toString("latin1"));
      const rest = whole.subarray(offset + found.bodyStart);
      if (rest.length > 0 && !this.failure) this.sink.body.write(rest);
    } else if (this.headLength > MAX_HEAD + 2) {
      // Any blank line still to come starts at most two bytes back: the head is too long
      // however the output was split into writes.
      this.tooLong();
    } else {
      this.recent = window.subarray(Math.max(0, window.length - 2));
    }
  }

  capacity(): number {
    return this.inBody ? this.sink.body.capacity() : MAX_HEAD;
  }

  /** Called when the module has exited: output that never ended its headers is all headers. */
  close(): void {
    if (!this.inBody && !this.failure) {
      this.inBody = true;
      if (this.headLength > MAX_HEAD) return this.tooLong();
      this.sendHead(Buffer.concat(this.head).toString("latin1"));
    }
  }

  private tooLong(): void {
    this.head = [];
    this.failure = {
      status: 500,
      message: `the module wrote more than ${MAX_HEAD} bytes of CGI headers (a head ends at a blank line)`,
    };
  }

  private sendHead(text: string): void {
    const headers: Array<[string, string]> = [];
    let status: number | undefined;
    let contentType = false;
    let location = false;
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "") continue;
      const colon = line.indexOf(":");
      if (colon <= 0) {
        this.failure = {
          status: 500,
          message: `the module's CGI header line ${JSON.stringify(line)} has no name: value form`,
        };
        return;
      }
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "status") {
        const code = /^(\d{3})(\s|$)/.exec(value);
        if (!code || Number(code[1]) < 100) {
          this.failure = { status: 502, message: `the module returned an invalid CGI status ${JSON.stringify(value)}` };
          return;
        }
        status = Number(code[1]);
        continue;
      }
      if (name === "content-type") contentType = true;
      if (name === "location") location = true;
      headers.push([name, value]);
    }
    if (!contentType && !location) {
      this.failure = {
        status: 500,
        message:
          "the module's output has neither a content-type nor a location header (WAGI needs one of them before the blank line)",
      };
      return;
    }
    this.sink.head(status ?? (location ? 302 : 200), headers);
  }
}

function findBlankLine(bytes: Uint8Array): { headEnd: number; bodyStart: number } | undefined {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return { headEnd: i, bodyStart: i + 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { headEnd: i, bodyStart: i + 3 };
  }
  return undefined;
}
