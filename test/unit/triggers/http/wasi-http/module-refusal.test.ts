import { describe, expect, it } from "vitest";
import { concatBytes, encodeName, withHeader } from "../../../../../src/engine/wasm/binary-reader.js";
import { moduleRefusal } from "../../../../../src/triggers/http/executors/wasi-http/module-refusal.js";

const HEADER = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
/** One function `() -> ()`, exported as `name`. */
const exporting = (name: string) => [
  withHeader(1, Uint8Array.from([0x01, 0x60, 0x00, 0x00])),
  withHeader(3, Uint8Array.from([0x01, 0x00])),
  withHeader(7, Uint8Array.from([0x01, ...encodeName(name), 0x00, 0x00])),
  withHeader(10, Uint8Array.from([0x01, 0x02, 0x00, 0x0b])),
];
const module = (...sections: Uint8Array[]) => concatBytes([HEADER, ...sections]);

describe("why the wasi:http executor refuses a core module, in the words of what it is", () => {
  it("a module of Spin's first HTTP ABI", () => {
    const error = moduleRefusal("web", "web.wasm", module(...exporting("handle-http-request")));
    expect(error.message).toContain("built for Spin's first HTTP ABI");
    expect(error.hint).toContain("Spin 2 or 3 SDK");
  });

  it("a WASI command: WAGI's", () => {
    const error = moduleRefusal("web", "web.wasm", module(...exporting("_start")));
    expect(error.message).toBe("component web: web.wasm is a WASI preview1 module, not a wasi:http component");
    expect(error.hint).toContain('executor = { type = "wagi" }');
  });

  it("a module cut off midway is refused without a reader's error", () => {
    const whole = module(...exporting("handle-http-request"));
    const error = moduleRefusal("web", "web.wasm", whole.subarray(0, whole.length - 9));
    expect(error.code).toBe("COMPONENT_INVALID_WASM");
  });
});
