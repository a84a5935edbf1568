type Callable = (...args: unknown[]) => unknown;

/**
 * Stand-ins for a core module's function imports, so that one instance can serve many
 * instantiations of a component: jco's glue makes new import functions (trampolines over its
 * per-instantiation handle tables) every time, and the instance, made once, calls these
 * forwarders, which call the functions of the instantiation it serves now (`bind`).
 *
 * An import the caller knows to be the same function in every instantiation (an export of a
 * shared stateless core, see ComponentFactory) can be wired in directly instead (`fixed`): a call
 * from wasm to wasm then, where a forwarder costs a call out to JavaScript and back into wasm.
 * Such an instance serves only instantiations that pass that very function (`bind` checks).
 */
export class ImportForwarders {
  private readonly functionImports: ReadonlyArray<{ module: string; name: string }>;
  private readonly targets: Callable[];
  /** Per function import, the function wired in directly, or undefined where a forwarder stands. */
  private readonly fixed: unknown[];

  constructor(module: WebAssembly.Module) {
    this.functionImports = WebAssembly.Module.imports(module).filter((i) => i.kind === "function");
    this.targets = new Array<Callable>(this.functionImports.length);
    this.fixed = new Array<unknown>(this.functionImports.length);
  }

  /**
   * `coreImports` with every function replaced by its forwarder (other imports as given), pointed
   * at `coreImports`' functions; a function `fixed` accepts is kept as it is.
   */
  imports(
    coreImports: WebAssembly.Imports,
    fixed: (value: unknown) => boolean = () => false,
  ): Record<string, Record<string, unknown>> {
    const imports: Record<string, Record<string, unknown>> = {};
    for (const [module, entries] of Object.entries(coreImports)) imports[module] = { ...entries };
    const targets = this.targets;
    this.functionImports.forEach(({ module, name }, index) => {
      const value = coreImports[module]?.[name];
      if (fixed(value)) this.fixed[index] = value;
      else (imports[module] ??= {})[name] = (...args: unknown[]) => targets[index]!(...args);
    });
    this.bind(coreImports);
    return imports;
  }

  /**
   * Points the forwarders at the functions of the instantiation served now. False, binding
   * nothing, when it passes another function where one is wired in directly.
   */
  bind(coreImports: WebAssembly.Imports): boolean {
    const { functionImports, fixed, targets } = this;
    for (let index = 0; index < functionImports.length; index++) {
      if (fixed[index] === undefined) continue;
      const { module, name } = functionImports[index]!;
      if (coreImports[module]?.[name] !== fixed[index]) return false;
    }
    for (let index = 0; index < functionImports.length; index++) {
      if (fixed[index] !== undefined) continue;
      const { module, name } = functionImports[index]!;
      targets[index] = coreImports[module]?.[name] as Callable;
    }
    return true;
  }

  /** Nothing the last instantiation passed in stays reachable. */
  unbind(): void {
    this.targets.fill(undefined as unknown as Callable);
  }
}
