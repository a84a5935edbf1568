import { ImportForwarders } from "./import-forwarders.js";

type ImportName = { module: string; name: string };

/**
 * One instance of a stateless core module (see wasm/stateless-core) serving every instantiation
 * of its component on this thread: its function imports are forwarders, re-pointed per
 * instantiation. Being stateless, the instance behaves exactly as a fresh one given the same
 * imports would, provided its other imports (the tables it fills or calls through) are the very
 * objects it was made with: `acquire` checks that. A new instance of such a core costs about as
 * much as a small component's whole guest run.
 *
 * Contract: serves one instantiation at a time (`acquire` declines while one holds it).
 */
export class SharedStatelessCore {
  /** Made for an instantiation, it starts out held by it. */
  private busy = true;

  private constructor(
    readonly instance: WebAssembly.Instance,
    private readonly forwarders: ImportForwarders,
    private readonly otherImports: readonly ImportName[],
    /** The values of `otherImports` it was made with. */
    private readonly made: readonly unknown[],
  ) {}

  /** A new instance, held by the instantiation whose imports these are (as after `acquire`). */
  static create(module: WebAssembly.Module, coreImports: WebAssembly.Imports): SharedStatelessCore {
    const forwarders = new ImportForwarders(module);
    const instance = new WebAssembly.Instance(module, forwarders.imports(coreImports) as WebAssembly.Imports);
    const otherImports = WebAssembly.Module.imports(module).filter((i) => i.kind !== "function");
    return new SharedStatelessCore(instance, forwarders, otherImports, valuesOf(otherImports, coreImports));
  }

  /** The instance, pointed at these imports; undefined when it is in use or was made with other tables. */
  acquire(coreImports: WebAssembly.Imports): WebAssembly.Instance | undefined {
    if (this.busy) return undefined;
    const values = valuesOf(this.otherImports, coreImports);
    for (let i = 0; i < values.length; i++) if (values[i] !== this.made[i]) return undefined;
    this.busy = true;
    this.forwarders.bind(coreImports);
    return this.instance;
  }

  release(): void {
    this.forwarders.unbind();
    this.busy = false;
  }
}

function valuesOf(names: readonly ImportName[], coreImports: WebAssembly.Imports): unknown[] {
  return names.map(({ module, name }) => coreImports[module]?.[name]);
}
