import { build, formatMessages, type Message } from "esbuild";
import { WispError } from "../../errors/wisp-error.js";

/**
 * Bundles a handler and what it imports (TypeScript, npm packages) into the one ES module
 * componentize-js takes. TypeScript is only stripped here; `tsc` type-checks it. The target is a
 * worker-like engine (StarlingMonkey): no Node built-ins, web APIs only.
 */
export async function bundleHandler(entry: string, outFile: string): Promise<void> {
  try {
    await build({
      entryPoints: [entry],
      outfile: outFile,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
      conditions: ["worker", "browser", "import"],
      logLevel: "silent",
    });
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    const detail = errors ? (await formatMessages(errors, { kind: "error", color: false })).join("") : (error as Error).message;
    throw new WispError("BUILD_FAILED", `cannot bundle ${entry}:\n${detail.trimEnd()}`,
      "fix the error above; a handler may import npm packages but not Node built-ins (node:fs, node:http...)");
  }
}
