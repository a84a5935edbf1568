type Callable = (...args: unknown[]) => unknown;

/**
 * Stand-ins for a core module's function imports, so that one instance can serve many
 * instantiations of a component: jco's glue makes new import functions (trampolines over its
 * per-instantiation handle tables) every time, and the instance, made once, calls these
 * forwarders, which call the functions of the instantiation it serves now (`bind`).
 */
export class ImportForwarders {
  private readonly functionImports: ReadonlyArray<{ module: string; name: string }>;
  private readonly targets: Callable[];

  constructor(module: WebAssembly.Module) {
    this.functionImports = WebAssembly.Module.imports(module).filter((i) => i.kind === "function");
    this.targets = new Array<Callable>(this.functionImports.length);
  }

  /** `coreImports` with every function replaced by its forwarder (other imports as given), pointed at `coreImports`' functions. */
  imports(coreImports: WebAssembly.Imports): Record<string, Record<string, unknown>> {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const [module, entries] of Object.entries(coreImports)) imports[module] = { ...entries };
    const targets = this.targets;
    this.functionImports.forEach(({ module, name }, index) => {
      (imports[module] ??= {})[name] = (...args: unknown[]) => targets[index]!(...args);
    });
    this.bind(coreImports);
    return imports;
  }

  /** Points the forwarders at the functions of the instantiation served now. */
  bind(coreImports: WebAssembly.Imports): void {
    this.functionImports.forEach(({ module, name }, index) => {
      this.targets[index] = coreImports[module]?.[name] as Callable;
    });
  }

  /** Nothing the last instantiation passed in stays reachable. */
  unbind(): void {
    this.targets.fill(undefined as unknown as Callable);
  }
}
