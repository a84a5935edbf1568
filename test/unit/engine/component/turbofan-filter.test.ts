import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIG_GLUE_INIT } from "../../../../src/engine/component/plain-init.js";
import { distUrl } from "../../../support/dist.js";

/**
 * Two identical hot generators, one named as big glue's init: V8 reports (`--trace-opt`, on
 * stdout) each function TurboFan compiles, so the filter shows in what it leaves out. (From
 * Node 24, V8's mid tier, Maglev, compiles both too: it takes ~15 ms over the real glue's init,
 * where TurboFan took 2 s, so it is left to do so.)
 */
const SCRIPT = `
const { keepTurbofanOffBigGlueInit } = await import(${JSON.stringify(distUrl("engine/component/turbofan-filter.js").href)});
keepTurbofanOffBigGlueInit();
function* ${BIG_GLUE_INIT}(n) { let s = 0; for (let i = 0; i < n; i++) s += i * 2; return s; }
function* controlInit(n) { let s = 0; for (let i = 0; i < n; i++) s += i * 2; return s; }
let total = 0;
for (let round = 0; round < 20000; round++) total += ${BIG_GLUE_INIT}(50).next().value + controlInit(50).next().value;
await new Promise((r) => setTimeout(r, 300)); // lets a background compile finish and report
console.log("total", total);
`;

/** The same, the filter asked for by a worker thread only: V8's flags are set by main alone. */
const FROM_A_WORKER = `
const { Worker } = await import("node:worker_threads");
const url = ${JSON.stringify(distUrl("engine/component/turbofan-filter.js").href)};
await new Promise((done) => new Worker(\`import(\${JSON.stringify(url)}).then((m) => m.keepTurbofanOffBigGlueInit())\`, { eval: true }).once("exit", done));
function* ${BIG_GLUE_INIT}(n) { let s = 0; for (let i = 0; i < n; i++) s += i * 2; return s; }
let total = 0;
for (let round = 0; round < 20000; round++) total += ${BIG_GLUE_INIT}(50).next().value;
await new Promise((r) => setTimeout(r, 300));
console.log("total", total);
`;

describe("keepTurbofanOffBigGlueInit", () => {
  it("keeps TurboFan off the function named as big glue's init, and only that one", () => {
    const trace = execFileSync(process.execPath, ["--trace-opt", "--input-type=module", "-e", SCRIPT], {
      encoding: "utf8",
    });
    expect(trace).toContain(`total ${20000 * 2 * 2450}`);
    expect(trace).toMatch(/completed compiling .*controlInit.*target TURBOFAN/);
    expect(trace).not.toMatch(new RegExp(`compiling .*${BIG_GLUE_INIT}.*target TURBOFAN`));
  });

  it("sets nothing when a worker thread asks: V8's flags are set once, by main", () => {
    const trace = execFileSync(process.execPath, ["--trace-opt", "--input-type=module", "-e", FROM_A_WORKER], {
      encoding: "utf8",
    });
    expect(trace).toContain(`total ${20000 * 2450}`);
    expect(trace).toMatch(new RegExp(`completed compiling .*${BIG_GLUE_INIT}.*target TURBOFAN`));
  });
});
