import { open } from "node:fs/promises";
import { compileWasm } from "./compile.js";
import { WASM_PAGE } from "./wasm-page.js";

/**
 * Compiles the wasm in `path`, read into a buffer that V8 maps itself (a wasm memory) rather
 * than one from malloc. Why: glibc raises its mmap threshold to the size of the largest
 * malloc'd block ever freed (up to 32 MiB), and from then on each thread's arena keeps up to
 * twice that in freed memory: freeing the read buffer of a JavaScript engine's core swelled the
 * worker threads' arenas under load (BENCHMARKS.md); a wasm memory is unmapped without glibc. V8 keeps its own copy of the bytes with the module. `validated`: see compileWasm.
 */
export async function compileFile(path: string, options: { validated?: boolean } = {}): Promise<WebAssembly.Module> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(
      new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(size / WASM_PAGE)) }).buffer,
      0,
      size,
    );
    for (let offset = 0; offset < size;) {
      const { bytesRead } = await file.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) throw new Error(`${path} ended after ${offset} of its ${size} bytes`);
      offset += bytesRead;
    }
    return await compileWasm(bytes, options);
  } finally {
    await file.close();
  }
}
