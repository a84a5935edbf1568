import { pathToFileURL } from "node:url";
import { MemoryPool } from "../memory/memory-pool.js";
import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import type { PreparedComponent } from "./prepare-component.js";
import { ReusableCore, type FreshImage } from "../instance/reusable-core.js";

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Record<string, unknown>;

/** One instantiation: its exports, and `release` to return its memories and cores for reuse. */
export interface ComponentInstance {
  exports: Record<string, unknown>;
  release(): void;
}

/** How one pooled core is supplied: memories from its pool; reset instances when it allows (`state`). */
interface PooledCore {
  pool: MemoryPool;
  slot: { module: string; name: string };
  state?: InstanceStateExports;
  image?: FreshImage;
  idle: ReusableCore[];
}

/** Idle reset instances kept per core and worker: one serves a worker's requests; a spare covers overlap. */
const MAX_IDLE_CORES = 2;

/**
 * Instantiates a prepared component for each request, on a worker. jco's glue runs afresh every
 * time (its handle tables and trampolines are per instantiation). Each core whose memory Wisp
 * supplies gets either a reset instance of itself (see ReusableCore: the same state a fresh one
 * has, without re-initialising its segments) or, when its module does not allow that, a new
 * instance over a zeroed memory from the core's pool.
 */
export class ComponentFactory {
  private constructor(
    private readonly instantiateGlue: Instantiate,
    private readonly modules: Map<string, WebAssembly.Module>,
    private readonly pooled: Map<WebAssembly.Module, PooledCore>,
  ) {}

  static async load(prepared: PreparedComponent, maxMemoryBytes: number): Promise<ComponentFactory> {
    const glue = (await import(pathToFileURL(prepared.glueFile).href)) as { instantiate: Instantiate };
    const modules = new Map(prepared.cores.map((core) => [core.name, core.module]));
    const pooled = new Map<WebAssembly.Module, PooledCore>();
    for (const core of prepared.cores) {
      if (!core.memory) continue;
      pooled.set(core.module, { pool: new MemoryPool(core.memory.shape, maxMemoryBytes), slot: core.memory.slot, state: core.state, idle: [] });
    }
    return new ComponentFactory(glue.instantiate, modules, pooled);
  }

  instantiate(imports: Record<string, unknown>): ComponentInstance {
    const taken: Array<() => void> = [];
    const release = () => {
      for (const giveBack of taken.splice(0)) giveBack();
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
          const core = this.pooled.get(module);
          if (!core) return new WebAssembly.Instance(module, coreImports);
          if (core.state) return this.reusable(module, core, coreImports, taken);
          const memory = core.pool.acquire();
          taken.push(() => core.pool.release(memory));
          const { slot } = core;
          return new WebAssembly.Instance(module, { ...coreImports, [slot.module]: { ...coreImports[slot.module], [slot.name]: memory } });
        },
      );
      return { exports, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private reusable(module: WebAssembly.Module, core: PooledCore, coreImports: WebAssembly.Imports, taken: Array<() => void>): WebAssembly.Instance {
    let reusable = core.idle.pop();
    if (reusable) reusable.bind(coreImports);
    else {
      reusable = ReusableCore.create(module, core.state!, core.pool.acquire(), core.slot, coreImports, core.image);
      core.image ??= reusable.freshImage;
    }
    const instance = reusable;
    taken.push(() => {
      if (instance.reset() && core.idle.length < MAX_IDLE_CORES) core.idle.push(instance);
    });
    return instance.instance;
  }
}
