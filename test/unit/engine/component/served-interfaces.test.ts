import { describe, expect, it } from "vitest";
import { readComponentWorld } from "../../../../src/engine/component/component-world.js";
import {
  glueMap,
  mergeServed,
  servedAt,
  serves,
  versionedGlueNames,
} from "../../../../src/engine/component/served-interfaces.js";
import { GLUE_GENERATOR } from "../../../../src/engine/component/transpile-component.js";
import { WASI_HTTP_SERVED } from "../../../../src/triggers/http/executors/wasi-http/served-interfaces.js";
import { fixtureContent } from "../../../support/dist.js";

describe("which import versions a host serves", () => {
  const wasi = servedAt(["wasi:http/types"], "0.2.0");

  it("serves every 0.2.x release of an interface it serves at 0.2.0, as Spin does, and no other minor", () => {
    expect(serves(wasi, "wasi:http/types@0.2.0")).toBe(true);
    expect(serves(wasi, "wasi:http/types@0.2.10")).toBe(true);
    expect(serves(wasi, "wasi:http/types@0.3.0")).toBe(false);
    expect(serves(wasi, "wasi:http/types@1.0.0")).toBe(false);
  });

  it("serves a prerelease only as itself, and an unversioned import only by an unversioned name", () => {
    expect(serves(wasi, "wasi:http/types@0.2.0-rc-2023-10-18")).toBe(false);
    expect(serves(servedAt(["wasi:keyvalue/store"], "0.2.0-draft2"), "wasi:keyvalue/store@0.2.0-draft2")).toBe(true);
    expect(serves(servedAt(["wasi:keyvalue/store"], "0.2.0-draft2"), "wasi:keyvalue/store@0.2.0-draft")).toBe(false);
    expect(serves(servedAt(["fermyon:spin/key-value"], "2.0.0"), "fermyon:spin/key-value")).toBe(false);
    expect(serves(servedAt(["fermyon:spin/key-value"], "2.0.0"), "fermyon:spin/key-value@2.0.0")).toBe(true);
  });

  it("serves 1.0 and later releases by major version", () => {
    const postgres = servedAt(["spin:postgres/postgres"], "3.0.0");
    expect(serves(postgres, "spin:postgres/postgres@3.1.0")).toBe(true);
    expect(serves(postgres, "spin:postgres/postgres@4.0.0")).toBe(false);
  });

  it("names in the glue by version only the interfaces served in incompatible versions", () => {
    const served = mergeServed(
      servedAt(["spin:postgres/postgres"], "3.0.0"),
      servedAt(["spin:postgres/postgres"], "4.0.0"),
    );
    expect(versionedGlueNames(mergeServed(served, wasi))).toEqual([
      "spin:postgres/postgres@3.0.0",
      "spin:postgres/postgres@4.0.0",
    ]);
    expect(versionedGlueNames(WASI_HTTP_SERVED)).toEqual([
      "spin:postgres/postgres@3.0.0",
      "spin:postgres/postgres@4.0.0",
    ]);
  });

  it("serves the wasi:http release candidates Spin serves, each by the object of that release", () => {
    for (const name of [
      "wasi:http/types@0.2.0-rc-2023-10-18",
      "wasi:http/outgoing-handler@0.2.0-rc-2023-10-18",
      "wasi:io/streams@0.2.0-rc-2023-10-18",
      "wasi:io/poll@0.2.0-rc-2023-10-18",
      "wasi:cli/environment@0.2.0-rc-2023-10-18",
      "wasi:http/types@0.2.0-rc-2023-11-10",
      "wasi:io/error@0.2.0-rc-2023-11-10",
      "wasi:filesystem/types@0.2.0-rc-2023-11-10",
      "wasi:clocks/monotonic-clock@0.2.0-rc-2023-10-18",
      "wasi:filesystem/types@0.2.0-rc-2023-10-18",
      "wasi:clocks/timezone@0.2.0-rc-2023-10-18",
    ])
      expect({ name, served: serves(WASI_HTTP_SERVED, name) }).toEqual({ name, served: true });
    // Sockets Wisp serves in no release; a candidate Spin never served is not served either.
    for (const name of [
      "wasi:sockets/tcp@0.2.0-rc-2023-10-18",
      "wasi:clocks/timezone@0.2.0",
      "wasi:http/types@0.2.0-rc-2023-12-05",
    ])
      expect({ name, served: serves(WASI_HTTP_SERVED, name) }).toEqual({ name, served: false });
    // A prerelease alone does not make its 0.2.x interface versioned in the glue.
    expect(versionedGlueNames(mergeServed(wasi, servedAt(["wasi:http/types"], "0.2.0-rc-2023-11-10")))).toEqual([]);
  });

  it("maps each versioned release to every compatible import, and a prerelease only to itself", () => {
    expect(
      glueMap([
        "spin:postgres/postgres@3.0.0",
        "spin:postgres/postgres@4.0.0",
        "wasi:http/types@0.2.0",
        "wasi:http/types@0.2.0-rc-2023-10-18",
      ]),
    ).toEqual({
      "spin:postgres/postgres@3.*": "spin:postgres/postgres@3.0.0",
      "spin:postgres/postgres@4.*": "spin:postgres/postgres@4.0.0",
      "wasi:http/types@0.2.*": "wasi:http/types@0.2.0",
      "wasi:http/types@0.2.0-rc-2023-10-18": "wasi:http/types@0.2.0-rc-2023-10-18",
    });
  });

  it("jco's glue asks a compatible release's import for the object glueMap names (4.0.1 finds @4.0.0's)", async () => {
    const { transpile } = (await import(GLUE_GENERATOR)) as {
      transpile: (
        bytes: Uint8Array,
        options: object,
      ) => Promise<{ files: Record<string, Uint8Array>; imports: string[] }>;
    };
    // The fixture imports wasi:http/types@0.2.10; mapped as a versioned 0.2.0 would be.
    const { imports } = await transpile(await fixtureContent("http-hello").read(), {
      name: "guest",
      instantiation: "sync",
      noTypescript: true,
      map: glueMap(["wasi:http/types@0.2.0"]),
    });
    expect(imports).toContain("wasi:http/types@0.2.0");
    expect(imports).not.toContain("wasi:http/types");
  });

  it("reads a component's own imports and exports with their versions, and serves every import of the SDK fixture", async () => {
    const world = readComponentWorld(await fixtureContent("http-sdk").read());
    expect(world.exports).toEqual([expect.stringMatching(/^wasi:http\/incoming-handler@0\.2\.\d+$/)]);
    expect(world.imports).toContain("fermyon:spin/key-value@2.0.0");
    expect(world.imports.filter((name) => !serves(WASI_HTTP_SERVED, name))).toEqual([]);
  });
});
