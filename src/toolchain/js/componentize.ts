import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { HTTP_HANDLER_WORLD, writeWitFolder } from "./wasi-wit.js";

/**
 * Builds a JavaScript module (an ES module that handles `fetch` events or exports
 * `incomingHandler`) into a wasi:http component with componentize-js. Takes 10-20 s: callers
 * cache by source digest.
 */
export async function componentizeHttpHandler(sourcePath: string, outPath: string): Promise<void> {
  const { componentize } = await import("@bytecodealliance/componentize-js");
  const witDir = await mkdtemp(join(tmpdir(), "wisp-wit-"));
  try {
    await writeWitFolder(witDir, HTTP_HANDLER_WORLD);
    const { component } = await componentize({
      sourcePath,
      witPath: witDir,
      worldName: "http-handler",
    });
    await writeFile(outPath, component);
  } catch (error) {
    throw new WispError(
      "BUILD_FAILED",
      `componentize-js could not build ${sourcePath}: ${(error as Error).message}`,
      "check that the file is an ES module that handles fetch events",
    );
  } finally {
    await rm(witDir, { recursive: true, force: true });
  }
}
