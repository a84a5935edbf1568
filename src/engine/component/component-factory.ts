import { pathToFileURL } from "node:url";
import { MemoryPool } from "../memory/memory-pool.js";
import type { PreparedComponent } from "./prepare-component.js";

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Record<string, unknown>;

/** One instantiation: its exports, and `release` to return its memories to the pool. */
export interface ComponentInstance {
  exports: Record<string, unknown>;
  release(): void;
}

/**
 * Instantiates a prepared component, freshly each time, on a worker. Cores whose memory Wisp can
 * pool get a zeroed memory from a per-core pool instead of a new WebAssembly.Memory.
 */
export class ComponentFactory {
  private constructor(
    private readonly instantiateGlue: Instantiate,
    private readonly modules: Map<string, WebAssembly.Module>,
    private readonly pools: Map<WebAssembly.Module, { pool: MemoryPool; slot: { module: string; name: string } }>,
  ) {}

  static async load(prepared: PreparedComponent, maxMemoryBytes: number): Promise<ComponentFactory> {
    const glue = (await import(pathToFileURL(prepared.glueFile).href)) as { instantiate: Instantiate };
    const modules = new Map(prepared.cores.map((core) => [core.name, core.module]));
    const pools = new Map<WebAssembly.Module, { pool: MemoryPool; slot: { module: string; name: string } }>();
    for (const core of prepared.cores) {
      if (core.memory) pools.set(core.module, { pool: new MemoryPool(core.memory.shape, maxMemoryBytes), slot: core.memory.slot });
    }
    return new ComponentFactory(glue.instantiate, modules, pools);
  }

  instantiate(imports: Record<string, unknown>): ComponentInstance {
    const taken: Array<{ pool: MemoryPool; memory: WebAssembly.Memory }> = [];
    const release = () => {
      for (const { pool, memory } of taken.splice(0)) pool.release(memory);
    };
    try {
      const exports = this.instantiateGlue(
        (name) => {
          const module = this.modules.get(name);
          if (!module) throw new Error(`the component's glue asked for an unknown core module ${name}`);
          return module;
        },
        imports,
        (module, coreImports = {}) => {
          const pooled = this.pools.get(module);
          if (!pooled) return new WebAssembly.Instance(module, coreImports);
          const memory = pooled.pool.acquire();
          taken.push({ pool: pooled.pool, memory });
          const { slot } = pooled;
          return new WebAssembly.Instance(module, { ...coreImports, [slot.module]: { ...coreImports[slot.module], [slot.name]: memory } });
        },
      );
      return { exports, release };
    } catch (error) {
      release();
      throw error;
    }
  }
}
