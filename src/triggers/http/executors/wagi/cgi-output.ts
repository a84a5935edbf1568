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
  private inBody = false;
  failure: { status: number; message: string } | undefined;

  constructor(private readonly sink: ResponseSink) {}

  write(bytes: Uint8Array): void {
    if (this.failure) return;
    if (this.inBody) return this.sink.body.write(bytes);
    // The bytes are ours to keep (OutputStream). A head usually comes in one write: it is parsed
    // from that write's bytes, and pieces are joined only when it does not.
    this.head.push(bytes);
    this.headLength += bytes.length;
    const buffered = this.head.length === 1 ? bytes : Buffer.concat(this.head);
    const end = findBlankLine(buffered);
    if (end) {
      this.inBody = true;
      this.head = [];
      this.sendHead(Buffer.from(buffered.buffer, buffered.byteOffset, end.headEnd).toString("latin1"));
      const rest = buffered.subarray(end.bodyStart);
      if (rest.length > 0 && !this.failure) this.sink.body.write(rest);
    } else if (this.headLength > MAX_HEAD) {
      this.failure = { status: 500, message: `the module wrote ${MAX_HEAD} bytes without ending its CGI headers with a blank line` };
    }
  }

  capacity(): number {
    return this.inBody ? this.sink.body.capacity() : MAX_HEAD;
  }

  /** Called when the module has exited: output that never ended its headers is all headers. */
  close(): void {
    if (!this.inBody && !this.failure) {
      this.inBody = true;
      this.sendHead(Buffer.concat(this.head).toString("latin1"));
    }
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
        this.failure = { status: 500, message: `the module's CGI header line ${JSON.stringify(line)} has no name: value form` };
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
        message: "the module's output has neither a content-type nor a location header (WAGI needs one of them before the blank line)",
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
