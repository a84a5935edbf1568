import { pathToFileURL } from "node:url";
import { MemoryPool } from "../memory/memory-pool.js";
import type { PreparedComponent } from "./prepare-component.js";
import type { ComponentInstance } from "./component-factory.js";

type InstantiateAsync = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Promise<Record<string, unknown>>;

/**
 * Instantiates a component translated into async glue (WASI 0.3, see GlueKind) for each request.
 * Every core is a new instance, each core with a memory of its own over a new memory (capped at the
 * component's `max_memory` by its MemoryPool, which keeps none): nothing is reset and reused as
 * ComponentFactory's cores and memories are, since an async guest's tasks may outlive its request
 * (a body still being written, a task it spawned), and a memory handed to the next request would
 * then be written by the last one.
 */
export class AsyncComponentFactory {
  private constructor(
    private readonly instantiateGlue: InstantiateAsync,
    private readonly modules: ReadonlyMap<string, WebAssembly.Module>,
    private readonly pools: ReadonlyMap<
      WebAssembly.Module,
      { pool: MemoryPool; slot: { module: string; name: string } }
    >,
  ) {}

  static async load(prepared: PreparedComponent, maxMemoryBytes: number): Promise<AsyncComponentFactory> {
    if (prepared.glue !== "async")
      throw new Error("AsyncComponentFactory takes a component translated into async glue");
    const glue = (await import(pathToFileURL(prepared.glueFile).href)) as { instantiate: InstantiateAsync };
    const pools = new Map(
      prepared.cores.flatMap((core) =>
        core.memory
          ? [
              [
                core.module,
                { pool: new MemoryPool(core.memory.shape, maxMemoryBytes, 0), slot: core.memory.slot },
              ] as const,
            ]
          : [],
      ),
    );
    return new AsyncComponentFactory(
      glue.instantiate,
      new Map(prepared.cores.map((core) => [core.name, core.module])),
      pools,
    );
  }

  /** A new instantiation with `imports`; its `release` returns its memories to their pools. Its `fuel` is empty: none is metered. */
  async instantiate(imports: Record<string, unknown>): Promise<ComponentInstance> {
    const taken: Array<() => void> = [];
    const release = () => {
      for (const giveBack of taken.splice(0)) giveBack();
    };
    try {
      const exports = await this.instantiateGlue(
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
          taken.push(() => pooled.pool.release(memory));
          const { slot } = pooled;
          return new WebAssembly.Instance(module, {
            ...coreImports,
            [slot.module]: { ...coreImports[slot.module], [slot.name]: memory },
          });
        },
      );
      return { exports, fuel: [], release };
    } catch (error) {
      release();
      throw error;
    }
  }
}
