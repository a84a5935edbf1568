import { describe, expect, it } from "vitest";
import { concatBytes, encodeName, withHeader } from "../../../../../src/engine/wasm/binary-reader.js";
import { spin1HandlerAbi, moduleOutline } from "../../../../../src/engine/wasm/module-outline.js";
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

describe("which core modules the wasi:http executor runs itself, and why it refuses the rest", () => {
  it("a module of Spin's first HTTP ABI is run (it exports handle-http-request and the allocator it needs)", () => {
    expect(spin1HandlerAbi(moduleOutline(module(...exporting("handle-http-request"))))).toBeUndefined();
    const both = module(
      withHeader(1, Uint8Array.from([0x01, 0x60, 0x00, 0x00])),
      withHeader(3, Uint8Array.from([0x01, 0x00])),
      withHeader(
        7,
        Uint8Array.from([
          0x02,
          ...encodeName("handle-http-request"),
          0x00,
          0x00,
          ...encodeName("canonical_abi_realloc"),
          0x00,
          0x00,
        ]),
      ),
      withHeader(10, Uint8Array.from([0x01, 0x02, 0x00, 0x0b])),
    );
    expect(spin1HandlerAbi(moduleOutline(both))?.handler).toBe("handle-http-request");
    // Cut off before its exports: read as far as it goes, and not taken for one.
    expect(spin1HandlerAbi(moduleOutline(both.subarray(0, 20)))).toBeUndefined();
  });

  it("a WASI command: WAGI's", () => {
    const error = moduleRefusal("web", "web.wasm");
    expect(error.message).toBe(
      "component web: web.wasm is a WASI preview1 module, not a wasi:http component (it carries no component type and exports no handle-http-request)",
    );
    expect(error.code).toBe("COMPONENT_INVALID_WASM");
    expect(error.hint).toContain('executor = { type = "wagi" }');
  });
});
