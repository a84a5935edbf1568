import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prepareComponent } from "../../../../src/engine/component/index.js";
import { SERVED_INTERFACES } from "../../../../src/engine/wasi-p2/index.js";
import { isWispError } from "../../../../src/errors/wisp-error.js";
import { fixtureWasm } from "../../../support/dist.js";

const probe = readFileSync(fixtureWasm("http-probe"));

describe("prepareComponent", () => {
  it("translates once, caches by content, and pools only the memory the main core defines", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-components-"));
    const first = await prepareComponent(probe, cache, SERVED_INTERFACES);
    expect(readdirSync(cache)).toHaveLength(1);
    const pooled = first.cores.filter((core) => core.memory);
    expect(pooled).toHaveLength(1);
    const second = await prepareComponent(probe, cache, SERVED_INTERFACES);
    expect(second.glueFile).toBe(first.glueFile);
  });

  it("marks the glue's table shims stateless, and not the main core", async () => {
    const { cores } = await prepareComponent(readFileSync(fixtureWasm("http-hello")), mkdtempSync(join(tmpdir(), "wisp-components-")), SERVED_INTERFACES);
    expect(cores.map((core) => [core.name, core.stateless])).toEqual([
      ["guest.core.wasm", false], ["guest.core2.wasm", true], ["guest.core3.wasm", true],
    ]);
  });

  it("fails at start, naming the interfaces, when the component imports what Wisp does not serve", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-components-"));
    const served = new Set([...SERVED_INTERFACES].filter((name) => name !== "wasi:http/types"));
    const error = await prepareComponent(probe, cache, served).catch((e: unknown) => e);
    expect(isWispError(error) && error.code).toBe("COMPONENT_LINK");
    expect((error as Error).message).toContain("wasi:http/types");
  });
});
