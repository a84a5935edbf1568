// WAT to wasm with wabt (a devDependency), for the modules the benchmark's peers serve.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import wabt from "wabt";

/** Compiles the WAT file `source` to the wasm file `out`. */
export async function compileWat(source, out) {
  const module = (await wabt()).parseWat(source, readFileSync(source, "utf8"));
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
