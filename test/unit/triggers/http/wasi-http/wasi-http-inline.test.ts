import { WASI_HTTP_SERVED } from "../../../../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { noGrants } from "../../../../../src/capabilities/grants.js";
import type * as Component from "../../../../../src/engine/component/index.js";
import { BufferedResponse } from "../../../../../src/engine/inline/buffered-response.js";
import { NeedsWorker } from "../../../../../src/engine/inline/inline-program.js";
import { BufferInput, CollectingOutput } from "../../../../../src/engine/io/memory-streams.js";
import { loadInlineWasiHttp } from "../../../../../src/triggers/http/executors/wasi-http/wasi-http-inline.js";
import type { WasiHttpSpec } from "../../../../../src/triggers/http/executors/wasi-http/wasi-http-program.js";
import type { WasiHttpPayload } from "../../../../../src/triggers/http/executors/wasi-http/wasi-http-payload.js";
import { distUrl, fixtureContent } from "../../../../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;

const cache = mkdtempSync(join(tmpdir(), "wisp-inline-http-"));
const served = WASI_HTTP_SERVED;

async function spec(fixture: string, change: (spec: WasiHttpSpec) => void = () => {}): Promise<WasiHttpSpec> {
  const prepared = await prepareComponent(fixtureContent(fixture), cache, served);
  const made: WasiHttpSpec = {
    prepared,
    maxMemoryBytes: 16 << 20,
    environment: [],
    grants: { ...noGrants("c"), outboundHttp: { componentId: "c", timeoutMs: 1000, maxResponseBytes: 1 << 20 } },
  };
  change(made);
  return made;
}

const payload: WasiHttpPayload = {
  method: "GET",
  pathWithQuery: "/",
  scheme: "http",
  authority: "localhost",
  headers: [],
  selfOrigin: "http://localhost",
};

function run(program: NonNullable<Awaited<ReturnType<typeof loadInlineWasiHttp>>>): BufferedResponse {
  const response = new BufferedResponse();
  // A synchronous program's run ends within the call.
  expect(
    program.run(payload, {
      body: new BufferInput(),
      response,
      stdout: new CollectingOutput(),
      stderr: new CollectingOutput(),
    }),
  ).toBeUndefined();
  return response;
}

describe("loadInlineWasiHttp", () => {
  it("runs a small component on the calling thread, a fresh instantiation per request", async () => {
    const program = (await loadInlineWasiHttp(await spec("http-hello")))!;
    expect(program).toBeDefined();
    for (let i = 0; i < 3; i++) {
      const response = run(program);
      expect(response.status).toBe(200);
      expect(Buffer.concat(response.chunks()).toString()).toBe("hello from WAT\n");
    }
  });

  it("gives up (to a worker) on every run that computes past its fuel", async () => {
    const program = (await loadInlineWasiHttp(await spec("http-busy")))!;
    expect(() => run(program)).toThrow(NeedsWorker);
    expect(() => run(program)).toThrow(NeedsWorker);
  });

  it("leaves to the workers a component that imports a capability or may reach an outbound host", async () => {
    expect(
      await loadInlineWasiHttp(await spec("http-hello", (s) => s.prepared.imports.push("fermyon:spin/key-value"))),
    ).toBeUndefined();
    expect(
      await loadInlineWasiHttp(await spec("http-hello", (s) => s.grants.allowedOutboundHosts.push("self"))),
    ).toBeUndefined();
  });
});
