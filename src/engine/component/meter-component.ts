import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { compileWasm } from "../wasm/compile.js";
import type { PreparedComponent, PreparedCore } from "./prepare-component.js";

/** Bigger components are served from the workers only: metering decodes every instruction, which takes too long for a big one. */
const MAX_METERED_BYTES = 8 << 20;

/**
 * The same component with every core that has code to loop metered (see meter-fuel), for runs on
 * the server's own thread (see engine/inline); the stateless shims are loop-free and stay as they
 * are. Undefined when the component is too big or a core cannot be metered: it is then served
 * from the workers only. Reads the cores from the component's cache folder.
 */
export async function meterComponent(prepared: PreparedComponent): Promise<PreparedComponent | undefined> {
  const dir = dirname(prepared.glueFile);
  // Sized before read: a big engine's cores cost tens of ms to read for nothing.
  const sizes = await Promise.all(prepared.cores.map(async (core) => (await stat(join(dir, core.name))).size));
  if (sizes.reduce((total, size) => total + size, 0) > MAX_METERED_BYTES) return undefined;
  // Loaded here, not with the server: the rewriter brings wasmparser (~30 ms to load).
  const { meterFuel } = await import("../wasm/meter-fuel.js");
  const stored = await Promise.all(
    prepared.cores.map(async (core) => new Uint8Array(await readFile(join(dir, core.name)))),
  );
  const cores: PreparedCore[] = [];
  for (const [i, core] of prepared.cores.entries()) {
    if (core.stateless) {
      cores.push(core);
      continue;
    }
    // The stored core is rewritten already (see rewriteCore).
    const metered = meterFuel(stored[i]!);
    // A rewrite the engine refuses is Wisp's fault, not the component's (which compiled as it was).
    const module =
      metered &&
      (await compileWasm(metered).catch((error: Error) => {
        process.stderr.write(
          `warning: a component runs on worker threads only: its metered form does not compile (${error.message}); please report this\n`,
        );
      }));
    if (!module) return undefined;
    cores.push({ ...core, module });
  }
  return { ...prepared, cores };
}
