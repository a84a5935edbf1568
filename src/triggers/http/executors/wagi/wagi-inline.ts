import { INLINE_FUEL, NeedsWorker, type InlineProgram } from "../../../../engine/inline/inline-program.js";
import { ReusableCore, type FreshImage } from "../../../../engine/instance/reusable-core.js";
import { MemoryPool } from "../../../../engine/memory/memory-pool.js";
import { Preview1Host } from "../../../../engine/wasi-p1/index.js";
import type { InstanceStateExports } from "../../../../engine/wasm/export-instance-state.js";
import { compileWasm } from "../../../../engine/wasm/compile.js";
import { FUEL_EXPORT } from "../../../../engine/wasm/fuel-export.js";
import type { MemoryImportPlan } from "../../../../engine/wasm/import-memory.js";
import type { JobIO } from "../../../../engine/worker/job.js";
import { inlineForm } from "./inline-form.js";
import { runWagi } from "./wagi-program.js";

/** Bigger modules are served from the workers only: decoding every instruction to meter it takes too long for a big one. */
const MAX_INLINE_MODULE_BYTES = 8 << 20;

/**
 * Prepares a WAGI module to also run on the main thread (see InlineRunner), or says it cannot:
 * it must take a pooled memory, be resettable to its fresh state (see export-instance-state) and
 * be meterable (see meter-fuel). Its rewritten form is cached in `cacheDir` (see inline-form).
 * Throws only for what would fail on a worker too.
 */
export async function loadInlineWagi(
  source: { bytes: Uint8Array<ArrayBuffer>; digest: string },
  spec: { maxMemoryBytes: number; filesRoot?: string },
  cacheDir: string,
): Promise<InlineProgram | undefined> {
  if (source.bytes.length > MAX_INLINE_MODULE_BYTES) return undefined;
  const form = await inlineForm(source.bytes, source.digest, cacheDir);
  if (!form) return undefined;
  // A rewrite the engine refuses is Wisp's fault, not the module's (which compiled as it was):
  // the component is still served, from the workers, and the warning says so.
  const module = await compileWasm(form.bytes).catch((error: Error) => {
    process.stderr.write(
      `warning: WAGI module runs on worker threads only: its metered form does not compile (${error.message}); please report this\n`,
    );
  });
  // Never run a module unmetered on the main thread, whatever the cache folder holds.
  if (!module || !WebAssembly.Module.exports(module).some((e) => e.name === FUEL_EXPORT && e.kind === "global"))
    return undefined;
  try {
    return new InlineWagiProgram(module, form.state, form.memory, spec.maxMemoryBytes, spec.filesRoot);
  } catch (error) {
    // MemoryPool's refusal of a cap below the module's need is reported by the workers' load, naming the component.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The WAGI executor on the main thread: one instance, kept, and put back into exactly the state a
 * fresh instance has after every request (see ReusableCore), instead of a new instance per
 * request. The module is metered: a run that spends INLINE_FUEL gives up (NeedsWorker).
 */
class InlineWagiProgram implements InlineProgram {
  private readonly host = new Preview1Host();
  private readonly memories: MemoryPool;
  private core: ReusableCore | undefined;
  private image: FreshImage | undefined;

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly state: InstanceStateExports,
    private readonly memory: Pick<MemoryImportPlan, "slot" | "shape">,
    maxMemoryBytes: number,
    private readonly filesRoot: string | undefined,
  ) {
    // Only its size limits are used: an instance keeps its memory for as long as it lives.
    this.memories = new MemoryPool(memory.shape, maxMemoryBytes, 0);
  }

  run(payload: unknown, io: JobIO): void {
    const core = this.core ?? this.instantiate();
    this.core = undefined;
    const fuel = core.instance.exports[FUEL_EXPORT] as WebAssembly.Global;
    fuel.value = INLINE_FUEL;
    // Host calls pay by their size from the same budget, at the rate sized instructions do (see meter-fuel).
    const meter = (bytes: number) => {
      fuel.value = (fuel.value as number) - Math.floor(bytes / 4);
      if ((fuel.value as number) < 0) throw new NeedsWorker("budget");
    };
    try {
      runWagi(payload, io, this.filesRoot, (options) =>
        this.host.runInstance(core.instance, core.memory, { ...options, meter }),
      );
      // Spent even if the guest caught the refusal and returned.
      if ((fuel.value as number) < 0) throw new NeedsWorker("budget");
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError && (fuel.value as number) < 0) throw new NeedsWorker("budget");
      throw error;
    } finally {
      // An instance whose memory grew cannot be put back: the next request makes a new one.
      if (core.reset()) this.core = core;
    }
  }

  private instantiate(): ReusableCore {
    const core = ReusableCore.create(
      this.module,
      this.state,
      this.memories.acquire(),
      this.memory.slot,
      { wasi_snapshot_preview1: this.host.imports },
      this.image,
      { forwardImports: false },
    );
    this.image = core.freshImage;
    return core;
  }
}
