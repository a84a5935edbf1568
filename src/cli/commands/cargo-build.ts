import type { Command } from "commander";

/** `wisp cargo-build -o module.wasm`: the crate in this folder as a WASI preview1 module. */
export function registerCargoBuild(program: Command): void {
  program
    .command("cargo-build")
    .description(
      "build the Rust crate in this folder into a WASI preview1 module (finds a toolchain with a WASI target)",
    )
    .requiredOption("-o, --out <file>", "where to write the module")
    .action(async (options: { out: string }) => {
      const { cargoBuild } = await import("../../toolchain/rust/cargo-build.js");
      await cargoBuild(process.cwd(), options.out);
    });
}
