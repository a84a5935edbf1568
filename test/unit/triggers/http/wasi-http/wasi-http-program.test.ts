import { WASI_HTTP_SERVED } from "../../../../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { noGrants } from "../../../../../src/capabilities/grants.js";
import type * as Component from "../../../../../src/engine/component/index.js";
import { BufferedResponse } from "../../../../../src/engine/inline/buffered-response.js";
import { BufferInput, CollectingOutput } from "../../../../../src/engine/io/memory-streams.js";
import type { GuestProgram } from "../../../../../src/engine/worker/job.js";
import { load, type WasiHttpSpec } from "../../../../../src/triggers/http/executors/wasi-http/wasi-http-program.js";
import type { WasiHttpPayload } from "../../../../../src/triggers/http/executors/wasi-http/wasi-http-payload.js";
import { distUrl, fixtureContent } from "../../../../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;
const cache = mkdtempSync(join(tmpdir(), "wisp-http-program-"));
const served = WASI_HTTP_SERVED;
const payload: WasiHttpPayload = {
  method: "GET",
  pathWithQuery: "/",
  scheme: "http",
  authority: "localhost",
  headers: [],
  selfOrigin: "http://localhost",
};

async function spec(fixture: string): Promise<WasiHttpSpec> {
  return {
    prepared: await prepareComponent(fixtureContent(fixture), cache, served),
    maxMemoryBytes: 16 << 20,
    environment: [],
    grants: { ...noGrants("c"), outboundHttp: { componentId: "c", timeoutMs: 1000, maxResponseBytes: 1 << 20 } },
  };
}

/** Runs one request; returns its answer and how many core instances it made. */
function run(program: GuestProgram): { body: string; instancesMade: number } {
  const made = vi.spyOn(WebAssembly, "Instance");
  try {
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
    return { body: Buffer.concat(response.chunks()).toString(), instancesMade: made.mock.calls.length };
  } finally {
    made.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("the wasi:http executor, as a worker loads it", () => {
  it("is warm when loaded: its first request makes no more core instances than a later one", async () => {
    const program = await load(await spec("http-hello"), "c");
    const first = run(program);
    const second = run(program);
    expect(first.body).toBe("hello from WAT\n");
    expect(second.body).toBe("hello from WAT\n");
    expect(first.instancesMade).toBe(second.instancesMade);
  });
});
