import type { InstanceStateExports } from "../wasm/export-instance-state.js";
import { WASM_PAGE } from "../wasm/wasm-page.js";
import { ImportForwarders } from "./import-forwarders.js";
import { TableSnapshot } from "./table-snapshot.js";

/** Compared against instead of the image's own all-zero pages: it stays in cache, they would be read from RAM. */
const ZERO_PAGE = new Uint8Array(WASM_PAGE);

/**
 * What every fresh instance of one core module starts from, taken once per module and worker:
 * the memory right after instantiation (data segments applied to zeroes) and the mutable
 * globals' initial values. It is the same for every instance, so instances share it.
 */
export class FreshImage {
  /**
   * Per 64 KiB page, what a fresh instance holds there. An all-zero page (most of an engine's
   * memory) is the shared ZERO_PAGE: it stays in cache, where the image's own would be read from
   * RAM, and the image keeps copies of the other pages only (for a componentize-js engine, 4 of
   * its 9 MB).
   */
  readonly pages: readonly Uint8Array[];

  /** `memory` is read, not kept. */
  constructor(
    memory: Uint8Array,
    readonly globals: readonly unknown[],
  ) {
    this.pages = pageViews(memory).map((page) => (Buffer.compare(page, ZERO_PAGE) === 0 ? ZERO_PAGE : page.slice()));
  }

  /** The memory's size in bytes. */
  get byteLength(): number {
    return this.pages.length * WASM_PAGE;
  }
}

/** A linear memory's bytes as one view per 64 KiB page (its length is always a whole number of them). */
function pageViews(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length / WASM_PAGE }, (_, page) =>
    bytes.subarray(page * WASM_PAGE, (page + 1) * WASM_PAGE),
  );
}

/**
 * A core instance kept across requests instead of instantiated for each (for a componentize-js
 * engine, `new WebAssembly.Instance` spends milliseconds initialising element and data segments;
 * DESIGN.md's snapshot lever; BENCHMARKS.md). After each request `reset` puts it back into
 * exactly the state a fresh instance has: every memory page that differs from the fresh image is
 * copied back, mutable globals are reset, and tables its code could change are checked entry by
 * entry (see table-writes). Memory that grew or a table that changed cannot be undone, and
 * `reset` then says to drop the instance.
 *
 * By default the instance's function imports are forwarders (see ImportForwarders) to the
 * functions of the instantiation it currently serves (`bind`), but for those `fixedImport`
 * accepts, which are the same function in every instantiation and are wired in directly. A host
 * whose imports serve every run (Wisp's WASI preview1 host) passes `forwardImports: false`.
 */
export class ReusableCore {
  /** The instance's memory, page by page (valid while it has not grown, which `reset` checks first). */
  private readonly pages: Uint8Array[];
  private readonly tables: TableSnapshot[];
  /** Pages a request has written before (see reset). */
  private readonly written: boolean[] = [];

  private constructor(
    readonly instance: WebAssembly.Instance,
    readonly memory: WebAssembly.Memory,
    private readonly image: FreshImage,
    private readonly forwarders: ImportForwarders | undefined,
    private readonly globals: WebAssembly.Global[],
    tables: WebAssembly.Table[],
  ) {
    this.pages = pageViews(new Uint8Array(memory.buffer));
    this.tables = tables.map((table) => new TableSnapshot(table));
  }

  /**
   * Instantiates `module` once, with forwarders for its function imports and `memory` at
   * `memorySlot`. `image` is the fresh image to restore to; without one, this instance's own
   * state right after instantiation becomes it.
   */
  static create(
    module: WebAssembly.Module,
    state: InstanceStateExports,
    memory: WebAssembly.Memory,
    memorySlot: { module: string; name: string },
    coreImports: WebAssembly.Imports,
    image?: FreshImage,
    {
      forwardImports = true,
      fixedImport,
    }: { forwardImports?: boolean; fixedImport?: (value: unknown) => boolean } = {},
  ): ReusableCore {
    // Without forwarders (imports that serve every run, as a WASI host's do) the instance calls them directly.
    const forwarders = forwardImports ? new ImportForwarders(module) : undefined;
    const imports: Record<string, Record<string, unknown>> = forwarders
      ? forwarders.imports(coreImports, fixedImport)
      : { ...coreImports };
    imports[memorySlot.module] = { ...imports[memorySlot.module], [memorySlot.name]: memory };
    const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
    const globals = state.globals.map((name) => instance.exports[name] as WebAssembly.Global);
    const tables = state.tables.map((name) => instance.exports[name] as WebAssembly.Table);
    const fresh =
      image ??
      new FreshImage(
        new Uint8Array(memory.buffer),
        globals.map((g): unknown => g.value),
      );
    return new ReusableCore(instance, memory, fresh, forwarders, globals, tables);
  }

  get freshImage(): FreshImage {
    return this.image;
  }

  /**
   * Points the forwarders at the imports of the instantiation this instance now serves. False
   * when it cannot serve it: a function it was made with (`fixedImport`) is not among them.
   */
  bind(coreImports: WebAssembly.Imports): boolean {
    return this.forwarders?.bind(coreImports) ?? true;
  }

  /** Back to the fresh state; false when that is impossible (grown memory, changed table): drop it. */
  reset(): boolean {
    if (this.memory.buffer.byteLength !== this.image.byteLength) return false;
    for (const table of this.tables) if (!table.unchanged()) return false;
    // Memory bandwidth is the cost here: compare, and write only what differs.
    // A page that differed once (the engine's stack and nursery differ every time) is written
    // back without comparing from then on: the same result, for one pass over it instead of two.
    const fresh = this.image.pages;
    const written = this.written;
    const pages = this.pages;
    for (let page = 0; page < pages.length; page++) {
      const current = pages[page]!;
      if (written[page] || Buffer.compare(current, fresh[page]!) !== 0) {
        // Zeroing is a store stream; copying also reads the image.
        if (fresh[page] === ZERO_PAGE) current.fill(0);
        else current.set(fresh[page]!);
        written[page] = true;
      }
    }
    this.globals.forEach((global, i) => {
      global.value = this.image.globals[i];
    });
    // Nothing the last request passed in stays reachable from the forwarders.
    this.forwarders?.unbind();
    return true;
  }
}
