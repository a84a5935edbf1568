import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withResourceDrops } from "../../../../src/engine/component/resource-drops.js";

/** The drop jco 1.12 writes for a resource the host hands the guest only through an export's parameters. */
const UNREACHABLE = `
    const handleTable2 = [T_FLAG, 0];
    const captureTable2= new Map();
    function trampoline0(handle) {
      const handleEntry = rscTableRemove(handleTable2, handle);
      if (handleEntry.own) {
        throw new TypeError('unreachable trampoline for resource [ResourceIndex(2)]')
      }
    }
    return trampoline0;
`;

/** Runs a glue fragment that returns its drop trampoline, over a table holding one host object. */
function dropOnce(glue: string, hostObject: object): { captured: Map<number, object> } {
  const captured = new Map<number, object>([[7, hostObject]]);
  const body = glue.replace("const captureTable2= new Map();", "const captureTable2 = captured;");
  const trampoline = runInNewContext(`(() => {${body}})()`, {
    rscTableRemove: () => ({ own: true, rep: 7 }),
    symbolDispose: Symbol.dispose,
    T_FLAG: 1 << 30,
    captured,
    TypeError,
  }) as (handle: number) => void;
  trampoline(1);
  return { captured };
}

describe("resource drops jco 1.12's glue writes as traps", () => {
  it("the glue as jco 1.12 writes it traps on the drop", () => {
    expect(() => dropOnce(UNREACHABLE, {})).toThrow("unreachable trampoline for resource");
  });

  it("rewritten, the drop takes the host's object out of the capture table and disposes of it", () => {
    let disposed = 0;
    const { captured } = dropOnce(withResourceDrops(UNREACHABLE), { [Symbol.dispose]: () => disposed++ });
    expect(disposed).toBe(1);
    expect(captured.size).toBe(0);
  });

  it("leaves a drop alone when the glue declares no capture table for it", () => {
    const without = UNREACHABLE.replace("const captureTable2= new Map();\n", "");
    expect(withResourceDrops(without)).toBe(without);
  });
});
