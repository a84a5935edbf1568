import { describe, expect, it } from "vitest";
import { CgiOutput } from "../../../../../src/triggers/http/executors/wagi/cgi-output.js";
import { CollectingOutput } from "../../../../../src/engine/io/memory-streams.js";
import type { ResponseSink } from "../../../../../src/engine/worker/job.js";

function sink() {
  const body = new CollectingOutput();
  const result: { status?: number; headers?: ReadonlyArray<readonly [string, string]> } = {};
  const s: ResponseSink & typeof result = {
    headSent: false,
    body,
    head(status, headers) {
      result.status = status;
      result.headers = headers;
      (this as { headSent: boolean }).headSent = true;
    },
  };
  return { s, result, body };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe("CgiOutput", () => {
  it("sends the head at the blank line and streams the body after it, across writes", () => {
    const { s, result, body } = sink();
    const cgi = new CgiOutput(s);
    cgi.write(bytes("Content-Type: text/plain\r\nX-One: 1\r"));
    expect(result.status).toBeUndefined();
    cgi.write(bytes("\n\r\nhello "));
    expect(result.status).toBe(200);
    expect(result.headers).toEqual([
      ["content-type", "text/plain"],
      ["x-one", "1"],
    ]);
    cgi.write(bytes("world"));
    cgi.close();
    expect(body.text()).toBe("hello world");
  });

  it("honours status and turns a bare location into a 302", () => {
    const a = sink();
    const cgi = new CgiOutput(a.s);
    cgi.write(bytes("status: 418 I'm a teapot\ncontent-type: text/plain\n\n"));
    expect(a.result.status).toBe(418);
    expect(a.result.headers).toEqual([["content-type", "text/plain"]]);

    const b = sink();
    new CgiOutput(b.s).write(bytes("location: /elsewhere\n\n"));
    expect(b.result.status).toBe(302);
  });

  it("fails with 500 when neither content-type nor location is given, and 502 for a bad status", () => {
    const a = sink();
    const missing = new CgiOutput(a.s);
    missing.write(bytes("x-only: 1\n\nbody"));
    expect(missing.failure?.status).toBe(500);
    expect(a.result.status).toBeUndefined();

    const b = sink();
    const bad = new CgiOutput(b.s);
    bad.write(bytes("status: abc\ncontent-type: text/plain\n\n"));
    expect(bad.failure?.status).toBe(502);
  });

  it("treats output that never ends its headers as headers only", () => {
    const { s, result, body } = sink();
    const cgi = new CgiOutput(s);
    cgi.write(bytes("content-type: text/plain\n"));
    cgi.close();
    expect(result.status).toBe(200);
    expect(body.text()).toBe("");
  });
});

describe("CgiOutput, one write", () => {
  // A writer's bytes may be a view into a larger buffer (OutputStream lets the stream keep them).
  it("parses a head and body written at once, from a view that does not start its buffer", () => {
    const { s, result, body } = sink();
    const whole = bytes("XXXXcontent-type: text/plain\nx-a: 1\n\nhello");
    new CgiOutput(s).write(whole.subarray(4));
    expect(result.status).toBe(200);
    expect(result.headers).toEqual([
      ["content-type", "text/plain"],
      ["x-a", "1"],
    ]);
    expect(body.text()).toBe("hello");
  });
});
