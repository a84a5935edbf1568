import { WASI_HTTP_SERVED } from "../../../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as Component from "../../../../src/engine/component/index.js";
import { BIG_GLUE_INIT, withPlainInit } from "../../../../src/engine/component/plain-init.js";
import { distUrl, fixtureContent } from "../../../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;
const served = WASI_HTTP_SERVED;

/** jco's template around a body, as its sync instantiation emits it. */
function glue(body: string, driver = DRIVER, prelude = ""): string {
  return `export function instantiate(getCoreModule, imports, instantiateCore = (module, importObject) => new WebAssembly.Instance(module, importObject)) {\n${prelude}  let gen = (function* init () {\n${body}\n  })();\n${driver}`;
}
const DRIVER = `  let promise, resolve, reject;
  function runNext (value) {
    try {
      let done;
      do {
        ({ value, done } = gen.next(value));
      } while (!(value instanceof Promise) && !done);
      if (done) {
        if (resolve) return resolve(value);
        else return value;
      }
      if (!promise) promise = new Promise((_resolve, _reject) => (resolve = _resolve, reject = _reject));
      value.then(nextVal => done ? resolve() : runNext(nextVal), reject);
    }
    catch (e) {
      if (reject) reject(e);
      else throw e;
    }
  }
  const maybeSyncReturn = runNext(null);
  return promise || maybeSyncReturn;
}
`;

/** Evaluates a glue's `instantiate` (the test bodies need no imports). */
function instantiateOf(source: string): (getCoreModule: unknown, imports: unknown) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the glue under test is generated source, evaluated as the worker would load it
  return new Function(`${source.replace("export function", "function")}\nreturn instantiate;`)() as never;
}

describe("withPlainInit", () => {
  it("makes the generator a plain function that returns and throws what the generator did", () => {
    const returning = glue("    const answer = { handle: () => 42 };\n    return { answer };");
    const plain = withPlainInit(returning);
    expect(plain).not.toContain("function*");
    expect(plain).not.toContain("runNext");
    const made = instantiateOf(plain)(undefined, {}) as { answer: { handle(): number } };
    expect(made.answer.handle()).toBe(42);
    const generated = instantiateOf(returning)(undefined, {}) as { answer: { handle(): number } };
    expect(generated.answer.handle()).toBe(42);
    const throwing = withPlainInit(glue("    throw new TypeError('bad import');"));
    expect(() => instantiateOf(throwing)(undefined, {})).toThrow("bad import");
  });

  it("leaves glue alone when the generator may yield or the driver is not jco's", () => {
    const yielding = glue("    const m = yield getCoreModule('a.wasm');\n    return { m };");
    expect(withPlainInit(yielding)).toBe(yielding);
    const otherDriver = glue("    return {};", DRIVER.replace("runNext(null)", "runAll(null)"));
    expect(withPlainInit(otherDriver)).toBe(otherDriver);
  });

  it("makes big glue's generator once, at module level, with instantiate's prelude, each instantiation its own state", () => {
    const filler = `    const filler = "${"x".repeat(100 << 10)}";\n`;
    // The prelude's names, shadowed in init's body as jco's glue may do, and state of its own per instantiation.
    const prelude = "  let made = 0;\n  const shade = 'prelude';\n  function count() { return ++made; }\n";
    const big = glue(
      `${filler}    const shade = 'body';\n    return { answer: { handle: () => filler.length, count, shade } };`,
      DRIVER,
      prelude,
    );
    const direct = withPlainInit(big);
    expect(direct).toMatch(
      new RegExp(`^function\\* ${BIG_GLUE_INIT} \\(getCoreModule, imports, instantiateCore\\) \\{`),
    );
    expect(direct).not.toContain("runNext");
    expect(direct).toContain(`return ${BIG_GLUE_INIT}(getCoreModule, imports, instantiateCore).next().value;`);
    const instantiate = instantiateOf(direct);
    type Made = { answer: { handle(): number; count(): number; shade: string } };
    const first = instantiate(undefined, {}) as Made;
    expect(first.answer.handle()).toBe(100 << 10);
    expect(first.answer.shade).toBe("body");
    expect([first.answer.count(), first.answer.count()]).toEqual([1, 2]);
    const second = instantiate(undefined, {}) as Made;
    expect(second.answer.count()).toBe(1);
    const throwing = withPlainInit(glue(`${filler}    throw new TypeError('bad import');`));
    expect(throwing).not.toContain("runNext");
    expect(() => instantiateOf(throwing)(undefined, {})).toThrow("bad import");
    const yielding = glue(`${filler}    const m = yield getCoreModule('a.wasm');\n    return { m };`);
    expect(withPlainInit(yielding)).toBe(yielding);
  });

  it("keeps big glue's generator a closure, called directly, where moving it would change what a name means", () => {
    const filler = `    const filler = "${"x".repeat(100 << 10)}";\n`;
    const big = glue(`${filler}    return { answer: { handle: () => arguments.length } };`);
    const direct = withPlainInit(big);
    expect(direct).toContain(`let gen = (function* ${BIG_GLUE_INIT} () {`);
    expect(direct).toMatch(/return gen\.next\(\)\.value;\n}\n$/);
    const made = instantiateOf(direct)(undefined, {}) as { answer: { handle(): number } };
    expect(made.answer.handle()).toBe(0);
  });

  it("is applied to the glue jco writes for a small component, and the component still serves", async () => {
    const prepared = await prepareComponent(
      fixtureContent("http-hello"),
      mkdtempSync(join(tmpdir(), "wisp-plain-init-")),
      served,
    );
    const written = readFileSync(prepared.glueFile, "utf8");
    expect(written).toContain("let gen = (function init () {");
    expect(written).not.toMatch(/\bfunction\*/);
  });

  it("is applied to the glue jco writes for a JavaScript component: its generator is made once, at module level", async () => {
    const prepared = await prepareComponent(
      fixtureContent("http-probe"),
      mkdtempSync(join(tmpdir(), "wisp-plain-init-")),
      served,
    );
    const written = readFileSync(prepared.glueFile, "utf8");
    expect(written).toContain(`function* ${BIG_GLUE_INIT} (getCoreModule, imports, instantiateCore) {`);
    expect(written).not.toContain("runNext");
    expect(written).toContain(`return ${BIG_GLUE_INIT}(getCoreModule, imports, instantiateCore).next().value;`);
  });
});
