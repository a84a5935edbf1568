import type { Command } from "commander";

/** `wisp asc index.ts -o module.wasm`: AssemblyScript to a WASI command, with Wisp's own toolchain. */
export function registerAsc(program: Command): void {
  program
    .command("asc")
    .description("compile AssemblyScript into a WASI preview1 module (Wisp ships the compiler and its WASI shim)")
    .argument("<source>", "the entry file")
    .requiredOption("-o, --out <file>", "where to write the module")
    .action(async (source: string, options: { out: string }) => {
      const { compileAssemblyScript } = await import("../../toolchain/as/compile-as.js");
      await compileAssemblyScript(source, options.out);
    });
}
