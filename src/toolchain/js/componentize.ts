import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { bundleHandler } from "./bundle.js";
import { HANDLER_INTERFACES, httpHandlerWorld, writeWitFolder } from "./wasi-wit.js";

/**
 * Builds a JavaScript or TypeScript handler (an ES module that handles `fetch` events or exports
 * `incomingHandler`) into a wasi:http component: bundled with esbuild, then componentize-js.
 * Takes 4-20 s (the engine is snapshotted with its code): `wisp build` skips unchanged inputs.
 */
export async function componentizeHttpHandler(sourcePath: string, outPath: string): Promise<void> {
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const workDir = await mkdtemp(join(tmpdir(), "wisp-componentize-"));
  try {
    const bundled = join(workDir, "handler.js");
    const { interfaces } = await bundleHandler(sourcePath, bundled);
    const unknown = interfaces.filter((name) => !HANDLER_INTERFACES.has(name));
    if (unknown.length > 0) {
      throw new WispError(
        "BUILD_FAILED",
        `${sourcePath} imports ${unknown.join(", ")}, which Wisp does not provide`,
        `a handler may import: ${[...HANDLER_INTERFACES].join(", ")}`,
      );
    }
    const witDir = join(workDir, "wit");
    await writeWitFolder(witDir, httpHandlerWorld(interfaces));
    let component: Uint8Array;
    try {
      ({ component } = await componentize({ sourcePath: bundled, witPath: witDir, worldName: "http-handler" }));
    } catch (error) {
      throw new WispError(
        "BUILD_FAILED",
        `componentize-js could not build ${sourcePath}: ${(error as Error).message}`,
        "check that the file is an ES module that handles fetch events",
      );
    }
    await mkdir(dirname(outPath), { recursive: true });
    await writeFile(outPath, component);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
