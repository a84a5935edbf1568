import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CAPABILITY_INTERFACES } from "../../../../src/capabilities/index.js";
import type * as Component from "../../../../src/engine/component/index.js";
import { BIG_GLUE_INIT, withPlainInit } from "../../../../src/engine/component/plain-init.js";
import { SERVED_INTERFACES } from "../../../../src/engine/wasi-p2/index.js";
import { distUrl, fixtureContent } from "../../../support/dist.js";

// Translating a component runs in a process of its own: the built JavaScript, not TS.
const { prepareComponent } = (await import(distUrl("engine/component/index.js").href)) as typeof Component;
const served = new Set([...SERVED_INTERFACES, ...CAPABILITY_INTERFACES]);

/** jco's template around a body, as its sync instantiation emits it. */
function glue(body: string, driver = DRIVER): string {
  return `export function instantiate(getCoreModule, imports) {\n  let gen = (function* init () {\n${body}\n  })();\n${driver}`;
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

  it("keeps the generator of glue too big to compile, and calls it directly instead of through jco's driver", () => {
    const filler = `    const filler = "${"x".repeat(100 << 10)}";\n`;
    const big = glue(`${filler}    return { answer: { handle: () => filler.length } };`);
    const direct = withPlainInit(big);
    expect(direct).toContain(`let gen = (function* ${BIG_GLUE_INIT} () {`);
    expect(direct).not.toContain("runNext");
    expect(direct).toMatch(/return gen\.next\(\)\.value;\n}\n$/);
    const made = instantiateOf(direct)(undefined, {}) as { answer: { handle(): number } };
    expect(made.answer.handle()).toBe(100 << 10);
    const throwing = withPlainInit(glue(`${filler}    throw new TypeError('bad import');`));
    expect(throwing).not.toContain("runNext");
    expect(() => instantiateOf(throwing)(undefined, {})).toThrow("bad import");
    const yielding = glue(`${filler}    const m = yield getCoreModule('a.wasm');\n    return { m };`);
    expect(withPlainInit(yielding)).toBe(yielding);
  });

  it("is applied to the glue jco writes for a small component, and the component still serves", async () => {
    const prepared = await prepareComponent(fixtureContent("http-hello"), mkdtempSync(join(tmpdir(), "wisp-plain-init-")), served);
    const written = readFileSync(prepared.glueFile, "utf8");
    expect(written).toContain("let gen = (function init () {");
    expect(written).not.toMatch(/\bfunction\*/);
  });

  it("is applied to the glue jco writes for a JavaScript component: its generator is called directly", async () => {
    const prepared = await prepareComponent(fixtureContent("http-probe"), mkdtempSync(join(tmpdir(), "wisp-plain-init-")), served);
    const written = readFileSync(prepared.glueFile, "utf8");
    expect(written).toContain(`let gen = (function* ${BIG_GLUE_INIT} () {`);
    expect(written).not.toContain("runNext");
    expect(written).toMatch(/return gen\.next\(\)\.value;\n}\n$/);
  });
});
