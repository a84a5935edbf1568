import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Component from "../../../../src/engine/component/index.js";
import { servedAt } from "../../../../src/engine/component/served-interfaces.js";
import { SERVED_INTERFACES } from "../../../../src/engine/wasi-p2/index.js";
import type * as Errors from "../../../../src/errors/wisp-error.js";
import { distUrl, fixtureContent, knownContent } from "../../../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;
const { isWispError } = (await import(distUrl("errors/wisp-error.js").href)) as typeof Errors;

const probe = fixtureContent("http-probe");
const WASI = servedAt(SERVED_INTERFACES, "0.2.0");

describe("prepareComponent", () => {
  it("translates once, caches by content, and pools only the memory the main core defines", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-components-"));
    const first = await prepareComponent(probe, cache, WASI);
    expect(readdirSync(cache)).toHaveLength(1);
    const pooled = first.cores.filter((core) => core.memory);
    expect(pooled).toHaveLength(1);
    const second = await prepareComponent(probe, cache, WASI);
    expect(second.glueFile).toBe(first.glueFile);
  });

  it("marks the glue's table shims stateless, and not the main core", async () => {
    const { cores } = await prepareComponent(
      fixtureContent("http-hello"),
      mkdtempSync(join(tmpdir(), "wisp-components-")),
      WASI,
    );
    expect(cores.map((core) => [core.name, core.stateless])).toEqual([
      ["guest.core.wasm", false],
      ["guest.core2.wasm", true],
      ["guest.core3.wasm", true],
    ]);
  });

  it("fails at start, naming the interfaces, when the component imports what Wisp does not serve", async () => {
    const cache = mkdtempSync(join(tmpdir(), "wisp-components-"));
    const served = servedAt(
      [...SERVED_INTERFACES].filter((name) => name !== "wasi:http/types"),
      "0.2.0",
    );
    const error = await prepareComponent(probe, cache, served).catch((e: unknown) => e);
    expect(isWispError(error) && error.code).toBe("COMPONENT_LINK");
    expect((error as Error).message).toContain("wasi:http/types");
  });

  it("reports a component jco cannot translate as a user error, from the process that translates it", async () => {
    // A component header followed by a section that is cut off.
    const broken = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x20, 0x01]);
    const error = await prepareComponent(
      knownContent(broken),
      mkdtempSync(join(tmpdir(), "wisp-components-")),
      WASI,
    ).catch((e: unknown) => e);
    expect(isWispError(error) && error.code).toBe("COMPONENT_LINK");
    expect((error as Error).message).toMatch(/^cannot translate the component: /);
  });
});
