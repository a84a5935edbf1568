import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import { ImportForwarders } from "./import-forwarders.js";
import { TableSnapshot } from "./table-snapshot.js";

type ImportName = { module: string; name: string };

/**
 * One instance of a core module that has no memory of its own, serving instantiation after
 * instantiation of its component on this thread instead of a new one each time. Its function
 * imports are forwarders, re-pointed per instantiation (or wired in directly where `fixedImport`
 * says the function is the same in every one, see ImportForwarders). It behaves exactly as a fresh
 * instance given the same imports would, provided:
 * - its other imports (the tables it fills or calls through, the memory it shares) are the very
 *   objects it was made with: `acquire` checks that;
 * - what it holds itself is put back after each use: the mutable globals and tables named by
 *   `state` (see export-instance-state). A stateless core (see wasm/stateless-core) holds nothing.
 *   The memory it shares belongs to the core that defines it, which resets it (see ReusableCore).
 *
 * Why, besides the instantiation saved (a new instance of such a core costs about as much as a
 * small component's whole guest run): V8 makes an instance's internals in the old generation, so a
 * new instance per request, importing that request's young trampolines, keeps them and everything
 * they reach alive until the next full GC (BENCHMARKS.md).
 *
 * Contract: serves one instantiation at a time (`acquire` declines while one holds it).
 */
export class KeptCore {
  /** Made for an instantiation, it starts out held by it. */
  private busy = true;

  private constructor(
    readonly instance: WebAssembly.Instance,
    private readonly forwarders: ImportForwarders,
    private readonly otherImports: readonly ImportName[],
    /** The values of `otherImports` it was made with. */
    private readonly made: readonly unknown[],
    private readonly globals: readonly WebAssembly.Global[],
    private readonly freshGlobals: readonly unknown[],
    private readonly tables: readonly TableSnapshot[],
  ) {}

  /** Whether an instantiation holds it now. */
  get inUse(): boolean {
    return this.busy;
  }

  /** A new instance, held by the instantiation whose imports these are (as after `acquire`). */
  static create(
    module: WebAssembly.Module,
    coreImports: WebAssembly.Imports,
    {
      state = { globals: [], tables: [] },
      fixedImport,
    }: { state?: InstanceStateExports; fixedImport?: (value: unknown) => boolean } = {},
  ): KeptCore {
    const forwarders = new ImportForwarders(module);
    const instance = new WebAssembly.Instance(
      module,
      forwarders.imports(coreImports, fixedImport) as WebAssembly.Imports,
    );
    const otherImports = WebAssembly.Module.imports(module).filter((i) => i.kind !== "function");
    const globals = state.globals.map((name) => instance.exports[name] as WebAssembly.Global);
    const tables = state.tables.map((name) => instance.exports[name] as WebAssembly.Table);
    return new KeptCore(
      instance,
      forwarders,
      otherImports,
      valuesOf(otherImports, coreImports),
      globals,
      globals.map((g): unknown => g.value),
      tables.map((table) => new TableSnapshot(table)),
    );
  }

  /** The instance, pointed at these imports; undefined when it is in use or was made with other objects. */
  acquire(coreImports: WebAssembly.Imports): WebAssembly.Instance | undefined {
    if (this.busy) return undefined;
    const { otherImports, made } = this;
    for (let i = 0; i < otherImports.length; i++) {
      const { module, name } = otherImports[i]!;
      if (coreImports[module]?.[name] !== made[i]) return undefined;
    }
    if (!this.forwarders.bind(coreImports)) return undefined;
    this.busy = true;
    return this.instance;
  }

  /**
   * Back to the state it was made in, free for the next instantiation; false when that is
   * impossible (a table changed in size or content): drop it.
   */
  release(): boolean {
    this.forwarders.unbind();
    for (const table of this.tables) if (!table.unchanged()) return false;
    for (let g = 0; g < this.globals.length; g++) this.globals[g]!.value = this.freshGlobals[g];
    this.busy = false;
    return true;
  }
}

function valuesOf(names: readonly ImportName[], coreImports: WebAssembly.Imports): unknown[] {
  return names.map(({ module, name }) => coreImports[module]?.[name]);
}
