import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FailedForGood } from "../../../../../src/engine/io/failed-for-good.js";
import { CollectingOutput } from "../../../../../src/engine/io/memory-streams.js";
import type { InputStream } from "../../../../../src/engine/io/streams.js";
import { Preview1Host } from "../../../../../src/engine/wasi-p1/index.js";
import type { JobIO, ResponseSink } from "../../../../../src/engine/worker/job.js";
import { BodyAborted } from "../../../../../src/engine/worker/port-body-input.js";
import { runWagi, type WagiPayload } from "../../../../../src/triggers/http/executors/wagi/wagi-program.js";

import { fixtureWasm } from "../../../../support/dist.js";

/**
 * A streamed body as the worker sees one cut off at its limit: a few chunks, then a read that
 * throws; nothing more ever comes, so on a worker a further read would block until the deadline.
 * Here it counts such reads instead of blocking.
 */
class CutOffBody implements InputStream {
  reads = 0;
  readsAfterFailure = 0;
  private failed = false;

  read(): Uint8Array | null {
    if (this.failed) {
      this.readsAfterFailure++;
      throw new Error("a worker would block here until the deadline");
    }
    if (++this.reads <= 3) return new Uint8Array(1000).fill(0x61);
    this.failed = true;
    throw new BodyAborted("request body larger than 3000 bytes");
  }
  readNow(): Uint8Array | null {
    return new Uint8Array(0);
  }
  ready(): boolean {
    return false;
  }
}

function io(body: InputStream): JobIO & { out: CollectingOutput; heads: number[] } {
  const out = new CollectingOutput();
  const heads: number[] = [];
  const response: ResponseSink = {
    get headSent() {
      return heads.length > 0;
    },
    body: out,
    head: (status) => void heads.push(status),
  };
  return { body, response, stdout: new CollectingOutput(), stderr: new CollectingOutput(), out, heads };
}

const payload: WagiPayload = {
  request: {
    method: "POST",
    pathWithQuery: "/",
    path: "/",
    query: "",
    scheme: "http",
    authority: "localhost:3000",
    headers: [],
    clientAddr: "127.0.0.1:1",
    selfOrigin: "http://127.0.0.1:3000",
    route: { raw: "/", componentRoute: "/", matched: "", pathInfo: "", params: {} },
  },
  argv: "${SCRIPT_NAME} ${ARGS}",
  environment: [],
  entrypoint: "_start",
};

describe("a WAGI module's stdin when the request body is cut off", () => {
  it("fails every read after the first failure without asking the body again (a C fread reads on after a short count)", () => {
    const module = new WebAssembly.Module(readFileSync(fixtureWasm("wagi-read-all")));
    const body = new CutOffBody();
    const job = io(body);
    runWagi(payload, job, undefined, (options) => new Preview1Host().run(module, options));
    expect(body.reads).toBe(4);
    expect(body.readsAfterFailure).toBe(0);
    expect((job.stderr as CollectingOutput).text()).toBe("read-all: done after 3000 bytes (read error)\n");
    expect(job.out.text()).toBe("read 3000 bytes\n");
  });

  it("FailedForGood throws the first error again on every later call, and is ready once failed", () => {
    const body = new CutOffBody();
    const input = new FailedForGood(body);
    for (let i = 0; i < 3; i++) expect(input.read(10)?.length).toBe(1000);
    expect(input.ready()).toBe(false);
    expect(() => input.read(10)).toThrow(BodyAborted);
    expect(() => input.readNow(10)).toThrow(BodyAborted);
    expect(() => input.read(10)).toThrow(BodyAborted);
    expect(input.ready()).toBe(true);
    expect(body.readsAfterFailure).toBe(0);
  });
});
