import { build, formatMessages, type Message } from "esbuild";
import { join } from "node:path";
import { WispError } from "../../errors/wisp-error.js";
import { PACKAGE_ROOT } from "../../code-location.js";

const SDK_DIR = join(PACKAGE_ROOT, "sdk");
/** Runs before the handler's code: a failed response body stream must abort the response (see the file). */
const RESPONSE_BODY_GUARD = join(SDK_DIR, "internal", "response-body-guard.js");
/** Runs before the handler's code: a fetch the host denied says so, and which grant to add (see the file). */
const FETCH_REFUSALS = join(SDK_DIR, "internal", "fetch-refusals.js");

/**
 * Bundles a handler and what it imports (TypeScript, npm packages) into the one ES module
 * componentize-js takes. TypeScript is only stripped here; `tsc` type-checks it. The target is a
 * worker-like engine (StarlingMonkey): no Node built-ins, web APIs only. Wisp's response body
 * guard (it imports wasi:cli/exit) and its fetch refusals go in first. Returns the host interfaces the code imports,
 * which decide the component's world.
 */
export async function bundleHandler(entry: string, outFile: string): Promise<{ interfaces: string[] }> {
  try {
    const result = await build({
      entryPoints: [entry],
      outfile: outFile,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
      conditions: ["worker", "browser", "import"],
      logLevel: "silent",
      // Host interfaces (`fermyon:spin/variables@2.0.0`...) stay imports: componentize-js binds them.
      external: ["fermyon:*", "wasi:*", "spin:*"],
      metafile: true,
      // `@wisp/sdk/*` is Wisp's own guest SDK (sdk/ at the package root), bundled into the handler.
      alias: { "@wisp/sdk": SDK_DIR },
      inject: [RESPONSE_BODY_GUARD, FETCH_REFUSALS],
    });
    const interfaces = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const imported of output.imports) if (imported.external) interfaces.add(imported.path);
    }
    return { interfaces: [...interfaces].sort() };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const detail = errors
      ? (await formatMessages(errors, { kind: "error", color: false })).join("")
      : (error as Error).message;
    throw new WispError(
      "BUILD_FAILED",
      `cannot bundle ${entry}:\n${detail.trimEnd()}`,
      "fix the error above; a handler may import npm packages but not Node built-ins (node:fs, node:http...)",
    );
  }
}
