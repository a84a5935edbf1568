import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { compileCoreModule } from "../../src/triggers/http/executors/compile-core-module.js";
import type * as Component from "../../src/engine/component/index.js";
import { BufferInput, CollectingOutput } from "../../src/engine/io/memory-streams.js";
import { WASI_HTTP_SERVED } from "../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import type { JobIO } from "../../src/engine/worker/job.js";
import { load as loadWagi } from "../../src/triggers/http/executors/wagi/wagi-program.js";
import { load as loadWasiHttp } from "../../src/triggers/http/executors/wasi-http/wasi-http-program.js";
import { noGrants } from "../../src/capabilities/grants.js";
import { CollectingResponse } from "../support/collecting-response.js";
import { distUrl, fixtureContent, fixtureWasm } from "../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;

/**
 * The request path must never allocate a new WebAssembly.Memory: instances get pooled, zeroed
 * memories. Counts calls to the Memory constructor while executors serve requests in-process.
 */
const RealMemory = WebAssembly.Memory;
let constructed = 0;

function countMemories(): void {
  constructed = 0;
  WebAssembly.Memory = new Proxy(RealMemory, {
    construct(target, args: [WebAssembly.MemoryDescriptor]) {
      constructed++;
      return new target(...args);
    },
  });
}

afterEach(() => {
  WebAssembly.Memory = RealMemory;
});

function io(response: CollectingResponse): JobIO {
  return { body: new BufferInput(), response, stdout: new CollectingOutput(), stderr: new CollectingOutput() };
}

describe("memory per request", () => {
  it("WAGI: one memory for many requests, each answered from a fresh instance", async () => {
    const file = fixtureWasm("wagi-counter");
    const compiled = await compileCoreModule("counter", file, new Uint8Array(readFileSync(file)));
    // The rewritten module imports its memory, so instantiation cannot create one behind our back.
    expect(compiled.memory).toBeDefined();
    const program = await loadWagi({ compiled, maxMemoryBytes: 16 * 1024 * 1024 }, "counter");
    countMemories();
    for (let i = 0; i < 50; i++) {
      const response = new CollectingResponse();
      // A synchronous program's run ends within the call.
      expect(program.run({ argv: ["counter"], env: [], entrypoint: "_start" }, io(response))).toBeUndefined();
      expect(response.body.text()).toBe("global=1 memory=1 table=1\n");
    }
    expect(constructed).toBe(1);
  });

  it("wasi:http: the component's memory is pooled too", async () => {
    const prepared = await prepareComponent(
      fixtureContent("http-probe"),
      mkdtempSync(`${tmpdir()}/wisp-mem-`),
      WASI_HTTP_SERVED,
    );
    // Counted from the load on: a worker's load warms the component, which makes its one memory then (see WasiHttpProgram.warm).
    countMemories();
    const program = await loadWasiHttp(
      {
        prepared,
        maxMemoryBytes: 256 * 1024 * 1024,
        environment: [],
        grants: noGrants("probe"),
      },
      "probe",
    );
    for (let i = 0; i < 5; i++) {
      const response = new CollectingResponse();
      // A synchronous program's run ends within the call.
      expect(
        program.run(
          {
            method: "GET",
            pathWithQuery: "/probe/count",
            scheme: "http",
            authority: "localhost",
            headers: [],
            selfOrigin: "http://localhost",
          },
          io(response),
        ),
      ).toBeUndefined();
      expect(JSON.parse(response.body.text())).toMatchObject({ served: 1, buffer0: 1 });
    }
    expect(constructed).toBe(1);
  });
});
