import { resolve } from "node:path";
import type { Command } from "commander";

/** `wisp componentize handler.js -o handler.wasm`: a JavaScript fetch handler into a wasi:http component. */
export function registerComponentize(program: Command): void {
  program
    .command("componentize")
    .description("build a JavaScript fetch-event handler into a wasi:http component (componentize-js)")
    .argument("<source>", "the handler: an ES module that calls addEventListener('fetch', ...)")
    .requiredOption("-o, --out <file>", "where to write the component")
    .action(async (source: string, options: { out: string }) => {
      const started = Date.now();
      // Loaded here: esbuild and componentize-js are only needed by this command.
      const { componentizeHttpHandler } = await import("../../toolchain/js/componentize.js");
      await componentizeHttpHandler(resolve(source), resolve(options.out));
      process.stdout.write(`built ${options.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    });
}
