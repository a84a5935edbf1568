import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { WispError } from "../../errors/wisp-error.js";
import { ENGINE_HTTP_VERSION, writeWitFolder } from "../js/wasi-wit.js";

/**
 * The world of a wasi:http handler written against the canonical ABI by hand (C, WAT...): it
 * exports the incoming handler and may import what a proxy may. Imports the module does not use
 * are left out of the component.
 */
export const HTTP_PROXY_WORLD = `package wisp:proxy;

world http-proxy {
  import wasi:http/types@${ENGINE_HTTP_VERSION};
  import wasi:io/streams@0.2.12;
  import wasi:io/poll@0.2.12;
  import wasi:io/error@0.2.12;
  import wasi:cli/stdout@0.2.12;
  import wasi:cli/stderr@0.2.12;
  import wasi:cli/environment@0.2.12;
  import wasi:clocks/monotonic-clock@0.2.12;
  import wasi:clocks/wall-clock@0.2.12;
  import wasi:random/random@0.2.12;
  import wasi:filesystem/types@0.2.12;
  import wasi:filesystem/preopens@0.2.12;
  export wasi:http/incoming-handler@${ENGINE_HTTP_VERSION};
}
`;

/**
 * Wraps a core module that implements a WIT world through the canonical ABI into a component
 * (wasm-tools' `component embed` + `component new`, as jco ships them). wasm-tools runs as a
 * component itself and reads the WIT folder through jco's preview2 shim, whose filesystem must be
 * opened for it first.
 */
export async function componentFromCore(core: Uint8Array, world: string, worldName: string): Promise<Uint8Array> {
  await openShimFilesystem();
  const { componentEmbed, componentNew } = await import("@bytecodealliance/jco-transpile/wasm-tools");
  const witDir = await mkdtemp(join(tmpdir(), "wisp-wit-"));
  try {
    await writeWitFolder(witDir, world);
    const embedded = await componentEmbed({ binary: core, witPath: witDir, world: worldName });
    return await componentNew(embedded);
  } catch (error) {
    throw new WispError(
      "BUILD_FAILED",
      `wasm-tools could not make a component: ${(error as Error).message}`,
      "check the module's imports and exports against the world's canonical ABI signatures",
    );
  } finally {
    await rm(witDir, { recursive: true, force: true });
  }
}

/**
 * The core module with `world` embedded as its component type (wasm-tools' `component embed`
 * alone): what Spin's SDKs build for wasm32-wasip1, and Spin makes a component of at load.
 */
export async function embedComponentType(core: Uint8Array, world: string, worldName: string): Promise<Uint8Array> {
  await openShimFilesystem();
  const { componentEmbed } = await import("@bytecodealliance/jco-transpile/wasm-tools");
  const witDir = await mkdtemp(join(tmpdir(), "wisp-wit-"));
  try {
    await writeWitFolder(witDir, world);
    return await componentEmbed({ binary: core, witPath: witDir, world: worldName });
  } finally {
    await rm(witDir, { recursive: true, force: true });
  }
}

/** jco-transpile's own copy of the preview2 shim (nested, or hoisted beside it). */
async function openShimFilesystem(): Promise<void> {
  let dir = dirname(fileURLToPath(import.meta.resolve("@bytecodealliance/jco-transpile")));
  for (;;) {
    const candidate = join(
      dir,
      "node_modules",
      "@bytecodealliance",
      "preview2-shim",
      "dist",
      "nodejs",
      "filesystem.js",
    );
    if (existsSync(candidate)) {
      const shim = (await import(pathToFileURL(candidate).href)) as {
        _setPreopens(preopens: Record<string, string>): void;
      };
      shim._setPreopens({ "/": "/" });
      return;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("jco-transpile's preview2-shim was not found; reinstall with npm ci");
    dir = parent;
  }
}
