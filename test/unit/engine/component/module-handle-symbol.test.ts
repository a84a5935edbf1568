import { WASI_HTTP_SERVED } from "../../../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Component from "../../../../src/engine/component/index.js";
import { withModuleHandleSymbol } from "../../../../src/engine/component/module-handle-symbol.js";
import { distUrl, fixtureContent } from "../../../support/dist.js";

const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;
const served = WASI_HTTP_SERVED;

/** A borrow trampoline as jco writes them: a wrapper made for the call gets the handle, every borrow is cleared after. */
const TRAMPOLINE = `
  function trampoline0(handle1, rep2, host) {
    let rsc0 = host;
    if (!rsc0) {
      rsc0 = Object.create(Object.prototype);
      Object.defineProperty(rsc0, symbolRscHandle, { writable: true, value: handle1});
    }
    var handle3 = rsc0[symbolRscHandle];
    for (const rsc of [rsc0]) {
      rsc[symbolRscHandle] = undefined;
    }
    return handle3;
  }
  function lower(e) {
    var handle4 = e[symbolRscHandle];
    return handle4;
  }`;
const glue = (extra = "") =>
  `export function instantiate(getCoreModule, imports) {\n  const symbolRscHandle = Symbol('handle');\n${TRAMPOLINE}${extra}\n  return { trampoline0, lower };\n}\n`;

type Made = { trampoline0(handle: number, rep: number, host?: object): unknown; lower(e: object): unknown };
function instantiateOf(source: string): () => Made {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the glue under test is generated source, evaluated as the worker would load it
  return new Function(`${source.replace("export function", "function")}\nreturn instantiate;`)() as never;
}

describe("withModuleHandleSymbol", () => {
  it("makes the key once per module: instantiations share it, and an object outliving one holds no handle for the next", () => {
    const instantiate = instantiateOf(withModuleHandleSymbol(glue()));
    const first = instantiate();
    const second = instantiate();
    expect(first.trampoline0(5, 1)).toBe(5);
    // A host object borrowed by both is cleared under one key, not given a new one by each.
    const host = {};
    first.trampoline0(7, 2, host);
    second.trampoline0(8, 3, host);
    expect(Object.getOwnPropertySymbols(host)).toHaveLength(1);
    expect(second.lower(host)).toBeUndefined();
    const jcos = instantiateOf(glue());
    const other = {};
    jcos().trampoline0(7, 2, other);
    jcos().trampoline0(8, 3, other);
    expect(Object.getOwnPropertySymbols(other)).toHaveLength(2);
  });

  it("leaves glue alone that uses the key any other way", () => {
    const writesHandle = glue("\n  function keep(obj, handle9) { obj[symbolRscHandle] = handle9; }");
    expect(withModuleHandleSymbol(writesHandle)).toBe(writesHandle);
    const noKey = "export function instantiate() { return {}; }\n";
    expect(withModuleHandleSymbol(noKey)).toBe(noKey);
  });

  it("is applied to the glue jco writes for a small component and for a JavaScript one", async () => {
    for (const fixture of ["http-hello", "http-probe"]) {
      const prepared = await prepareComponent(
        fixtureContent(fixture),
        mkdtempSync(join(tmpdir(), "wisp-handle-symbol-")),
        served,
      );
      const written = readFileSync(prepared.glueFile, "utf8");
      expect(written.startsWith("const symbolRscHandle = Symbol('handle');\n")).toBe(true);
      expect(written.match(/symbolRscHandle = Symbol/g)).toHaveLength(1);
    }
  });
});
