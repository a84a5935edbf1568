import { pathToFileURL } from "node:url";
import { MemoryPool } from "../memory/memory-pool.js";
import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import type { PreparedComponent } from "./prepare-component.js";
import { ReusableCore, type FreshImage } from "../instance/reusable-core.js";
import { KeptCore } from "../instance/kept-core.js";
import { FUEL_EXPORT } from "../wasm/fuel-export.js";

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance,
) => Record<string, unknown>;

/** One instantiation: its exports, and `release` to return its memories and cores for reuse. */
export interface ComponentInstance {
  exports: Record<string, unknown>;
  /** The fuel counters of its metered cores (see meter-fuel), to fill before a run and read after. */
  fuel: WebAssembly.Global[];
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
 * instance over a zeroed memory from the core's pool. A core without a memory of its own (the
 * glue's small table shims, the preview1 adapter that shares the main module's memory) is
 * instantiated once and kept (see KeptCore).
 */
export class ComponentFactory {
  /** The one kept instance of each stateless core, and of each core that shares another's memory, once made. */
  private readonly kept = new Map<WebAssembly.Module, KeptCore>();
  /** The tables the kept stateless instances export, with the module each belongs to. */
  private readonly sharedTables = new Map<WebAssembly.Table, WebAssembly.Module>();
  /**
   * The functions the kept stateless instances and the reused cores export: the same objects in
   * every instantiation that gets those instances, so a kept or reused core imports them directly
   * (see ImportForwarders' fixed imports). Weak: a reused core may be dropped.
   */
  private readonly keptFunctions = new WeakSet<object>();
  private readonly isKeptFunction = (value: unknown) => typeof value === "function" && this.keptFunctions.has(value);

  private constructor(
    private readonly instantiateGlue: Instantiate,
    private readonly modules: Map<string, WebAssembly.Module>,
    private readonly pooled: Map<WebAssembly.Module, PooledCore>,
    /** Stateless cores, minus any whose table turned out to be written by another core. */
    private readonly stateless: Set<WebAssembly.Module>,
    private readonly tableWriters: ReadonlySet<WebAssembly.Module>,
    /** Cores without a memory of their own whose state can be put back (see KeptCore). */
    private readonly memorySharing: ReadonlyMap<WebAssembly.Module, InstanceStateExports>,
    /** Whether the glue is a suspending one (see SuspendingGlue): see `fresh`. */
    private readonly suspends: boolean,
  ) {}

  static async load(prepared: PreparedComponent, maxMemoryBytes: number): Promise<ComponentFactory> {
    const glue = (await import(pathToFileURL(prepared.glueFile).href)) as { instantiate: Instantiate };
    const modules = new Map(prepared.cores.map((core) => [core.name, core.module]));
    const pooled = new Map<WebAssembly.Module, PooledCore>();
    for (const core of prepared.cores) {
      if (!core.memory) continue;
      pooled.set(core.module, {
        pool: new MemoryPool(core.memory.shape, maxMemoryBytes),
        slot: core.memory.slot,
        state: core.state,
        idle: [],
      });
    }
    const stateless = new Set(prepared.cores.filter((core) => core.stateless).map((core) => core.module));
    const tableWriters = new Set(prepared.cores.filter((core) => core.writesTables).map((core) => core.module));
    const memorySharing = new Map(
      prepared.cores.flatMap((core) => (!core.memory && core.state ? [[core.module, core.state] as const] : [])),
    );
    return new ComponentFactory(
      glue.instantiate,
      modules,
      pooled,
      stateless,
      tableWriters,
      memorySharing,
      prepared.glue === "suspending",
    );
  }

  instantiate(imports: Record<string, unknown>): ComponentInstance {
    const taken: Array<() => void> = [];
    const release = () => {
      for (const giveBack of taken.splice(0)) giveBack();
    };
    const fuel: WebAssembly.Global[] = [];
    try {
      const exports = this.instantiateGlue(
        (name) => {
          const module = this.modules.get(name);
          if (!module) throw new Error(`the component's glue asked for an unknown core module ${name}`);
          return module;
        },
        imports,
        (module, coreImports = {}) => {
          if (this.suspends) return this.fresh(module, coreImports, taken);
          if (this.stateless.has(module)) return this.keptInstance(module, coreImports, taken);
          const instance = this.instance(module, coreImports, taken);
          const counter = instance.exports[FUEL_EXPORT];
          if (counter) fuel.push(counter as WebAssembly.Global);
          return instance;
        },
      );
      return { exports, fuel, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * A new instance of a core, over a zeroed memory from its pool if it has one: a suspending
   * glue's cores are never kept or reused. A reused core calls the instantiation it serves through
   * forwarders, JavaScript frames that a guest cannot suspend across (JSPI suspends only wasm).
   */
  private fresh(
    module: WebAssembly.Module,
    coreImports: WebAssembly.Imports,
    taken: Array<() => void>,
  ): WebAssembly.Instance {
    const core = this.pooled.get(module);
    if (!core) return new WebAssembly.Instance(module, coreImports);
    const memory = core.pool.acquire();
    taken.push(() => core.pool.release(memory));
    return new WebAssembly.Instance(module, {
      ...coreImports,
      [core.slot.module]: { ...coreImports[core.slot.module], [core.slot.name]: memory },
    });
  }

  /** An instance of a core with state: reset and reused, over a pooled memory, or plain. */
  private instance(
    module: WebAssembly.Module,
    coreImports: WebAssembly.Imports,
    taken: Array<() => void>,
  ): WebAssembly.Instance {
    if (this.tableWriters.has(module)) this.unshareTablesIn(coreImports);
    const core = this.pooled.get(module);
    if (!core) {
      const state = this.memorySharing.get(module);
      return state
        ? this.keptInstance(module, coreImports, taken, state)
        : new WebAssembly.Instance(module, coreImports);
    }
    if (core.state) return this.reusable(module, core, coreImports, taken);
    const memory = core.pool.acquire();
    taken.push(() => core.pool.release(memory));
    const { slot } = core;
    return new WebAssembly.Instance(module, {
      ...coreImports,
      [slot.module]: { ...coreImports[slot.module], [slot.name]: memory },
    });
  }

  private reusable(
    module: WebAssembly.Module,
    core: PooledCore,
    coreImports: WebAssembly.Imports,
    taken: Array<() => void>,
  ): WebAssembly.Instance {
    let reusable = core.idle.pop();
    // One made with functions of a kept instance this instantiation did not get serves it not.
    if (reusable && !reusable.bind(coreImports)) reusable = undefined;
    if (!reusable) {
      reusable = ReusableCore.create(module, core.state!, core.pool.acquire(), core.slot, coreImports, core.image, {
        fixedImport: this.isKeptFunction,
      });
      core.image ??= reusable.freshImage;
      for (const value of Object.values(reusable.instance.exports))
        if (typeof value === "function") this.keptFunctions.add(value);
    }
    const instance = reusable;
    taken.push(() => {
      if (instance.reset() && core.idle.length < MAX_IDLE_CORES) core.idle.push(instance);
    });
    return instance.instance;
  }

  /**
   * The kept instance of a stateless core (`state` undefined) or of a core that shares another's
   * memory, when it is free and fits these imports; else a new one. A new stateless one is kept
   * only if none is: its instantiation filled the tables that the kept one's exports call
   * through. A new memory-sharing one replaces a kept one that is free but did not fit (it was
   * made with the memory of a core instance since dropped).
   */
  private keptInstance(
    module: WebAssembly.Module,
    coreImports: WebAssembly.Imports,
    taken: Array<() => void>,
    state?: InstanceStateExports,
  ): WebAssembly.Instance {
    const kept = this.kept.get(module);
    const instance = kept?.acquire(coreImports);
    if (kept && instance) {
      taken.push(() => this.giveBack(module, kept));
      return instance;
    }
    const made = KeptCore.create(module, coreImports, { state, fixedImport: state ? this.isKeptFunction : undefined });
    if (!kept) {
      this.kept.set(module, made);
      if (!state) {
        for (const value of Object.values(made.instance.exports)) {
          if (value instanceof WebAssembly.Table) this.sharedTables.set(value, module);
          else if (typeof value === "function") this.keptFunctions.add(value);
        }
      }
    } else if (state && !kept.inUse) {
      this.kept.set(module, made);
    }
    taken.push(() => this.giveBack(module, made));
    return made.instance;
  }

  /** Frees a kept core for the next instantiation, or forgets it if it cannot be put back. */
  private giveBack(module: WebAssembly.Module, core: KeptCore): void {
    if (!core.release() && this.kept.get(module) === core) this.kept.delete(module);
  }

  /**
   * A core whose code writes tables is about to import a kept instance's table: what it writes
   * would outlast the request, so that stateless core is no longer shared (each instantiation
   * then makes its own, as without sharing). jco's glue does not wire its cores this way; this
   * keeps sharing exact if some component does.
   */
  private unshareTablesIn(coreImports: WebAssembly.Imports): void {
    if (this.sharedTables.size === 0) return;
    for (const entries of Object.values(coreImports)) {
      for (const value of Object.values(entries)) {
        const owner = value instanceof WebAssembly.Table ? this.sharedTables.get(value) : undefined;
        if (!owner) continue;
        const kept = this.kept.get(owner);
        for (const export_ of Object.values(kept?.instance.exports ?? {}))
          if (typeof export_ === "function") this.keptFunctions.delete(export_);
        this.stateless.delete(owner);
        this.kept.delete(owner);
        this.sharedTables.delete(value as WebAssembly.Table);
      }
    }
  }
}
