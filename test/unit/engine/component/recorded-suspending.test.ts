import { describe, expect, it } from "vitest";
import { withRecordedSuspending } from "../../../../src/engine/component/recorded-suspending.js";
import { wrappedFunction } from "../../../../src/engine/instance/suspending-imports.js";

describe("withRecordedSuspending", () => {
  it("makes the glue's Suspending imports through Wisp's maker, which remembers the function each wraps", () => {
    const glue = "const trampoline2 = new WebAssembly.Suspending(async function(arg0) { return arg0; });";
    const rewritten = withRecordedSuspending(glue);
    expect(rewritten).not.toContain("new WebAssembly.Suspending(");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the rewritten glue text, run as the glue module would run it
    const made = new Function(`${rewritten}; return trampoline2;`)() as object;
    expect(wrappedFunction(made)).toBeTypeOf("function");
    // The same kind of object jco's own call makes: an import wasm may suspend on.
    expect(made).toBeInstanceOf((WebAssembly as unknown as { Suspending: new () => object }).Suspending);
  });
});
