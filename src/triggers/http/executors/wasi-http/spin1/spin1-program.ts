import { BufferInput } from "../../../../../engine/io/memory-streams.js";
import { MemoryPool } from "../../../../../engine/memory/memory-pool.js";
import { JobFailed, type GuestProgram, type JobIO } from "../../../../../engine/worker/job.js";
import { Preview1Host, ProcExit } from "../../../../../engine/wasi-p1/index.js";
import type { CompiledModule } from "../../../../../engine/wasm/compiled-module.js";
import type { Spin1HandlerAbi } from "../../../../../engine/wasm/module-outline.js";
import type { CapabilityImports, ComponentGrants, RequestContext } from "../../../../../capabilities/index.js";
import { callSpin1Handler } from "./spin1-http.js";
import { Spin1RequestState, spin1Interfaces } from "./spin1-interfaces.js";
import { Spin1Memory } from "./spin1-memory.js";

/** What the worker loads once per Spin 1 module (structured-cloneable). */
export interface Spin1Spec {
  spin1: CompiledModule;
  /** Its handler's export and allocator (see SPIN1_HANDLER_ABIS). */
  abi: Spin1HandlerAbi;
  maxMemoryBytes: number;
  filesRoot?: string;
  environment: Array<[string, string]>;
  grants: ComponentGrants;
}

/** What of the wasi:http executor's payload (WasiHttpPayload) a Spin 1 handler is given. */
interface Spin1Payload {
  method: string;
  pathWithQuery: string;
  headers: Array<[string, string]>;
  selfOrigin: string;
}

const ENCODER = new TextEncoder();

/** All of a request body (Spin 1's handler takes it whole). */
function readAll(io: JobIO): Uint8Array | undefined {
  const chunks: Uint8Array[] = [];
  for (let chunk = io.body.read(1 << 20); chunk !== null; chunk = io.body.read(1 << 20)) chunks.push(chunk);
  return chunks.length ? Buffer.concat(chunks) : undefined;
}

/**
 * Spin's first HTTP ABI on a worker: each request instantiates the module afresh in a pooled,
 * zeroed memory, with WASI preview1 (environment, the component's files read-only at `/`, stdout
 * and stderr to its logs) and Spin 1's interfaces over the component's grants, and calls
 * `handle-http-request`, as Spin 2 and 3 run these modules (they make a component of each at
 * load; the calls are the same).
 */
export class Spin1Program implements GuestProgram {
  private readonly pool: MemoryPool | undefined;
  private readonly host = new Preview1Host();
  private readonly context: RequestContext = { log: () => {} };
  private readonly interfaces: WebAssembly.Imports;
  private current: { memory: Spin1Memory; request: Spin1RequestState } | undefined;

  constructor(
    private readonly spec: Spin1Spec,
    capabilities: CapabilityImports,
  ) {
    const memory = spec.spin1.memory;
    this.pool = memory ? new MemoryPool(memory.shape, spec.maxMemoryBytes) : undefined;
    this.interfaces = spin1Interfaces(capabilities(spec.grants, this.context), () => {
      if (!this.current) throw new Error("a Spin 1 host call arrived while no request was being served");
      return this.current;
    });
  }

  run(payload: unknown, io: JobIO): void {
    const request = payload as Spin1Payload;
    this.context.selfOrigin = request.selfOrigin;
    this.context.log = (line) => io.stderr.write(ENCODER.encode(line + "\n"));
    const { spin1, filesRoot, environment } = this.spec;
    const memory = this.pool?.acquire();
    const slot = spin1.memory?.slot;
    try {
      const response = this.host.within(
        spin1.module,
        {
          args: [],
          env: environment,
          // The body is the handler's argument; stdin is empty.
          stdin: new BufferInput(),
          stdout: io.stdout,
          stderr: io.stderr,
          preopens: filesRoot ? [{ guestPath: "/", hostPath: filesRoot, writable: false }] : [],
        },
        { ...this.interfaces, ...(memory && slot ? { [slot.module]: { [slot.name]: memory } } : {}) },
        (instance, instanceMemory) => {
          const exports = instance.exports as Record<string, unknown>;
          this.current = {
            memory: new Spin1Memory(instanceMemory, exports[this.spec.abi.realloc] as never),
            request: new Spin1RequestState(),
          };
          try {
            return callSpin1Handler(exports[this.spec.abi.handler] as never, this.current.memory, {
              method: request.method,
              uri: request.pathWithQuery,
              headers: request.headers,
              body: readAll(io),
            });
          } catch (error) {
            if (error instanceof ProcExit)
              throw new JobFailed(500, `the module exited (proc_exit ${error.code}) instead of answering`);
            throw error;
          } finally {
            this.current = undefined;
          }
        },
      );
      if (!response)
        throw new JobFailed(
          405,
          `method ${request.method} has no case in Spin's first HTTP ABI (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)`,
        );
      io.response.head(response.status, response.headers);
      if (response.body.length) io.response.body.write(response.body);
      io.response.body.close();
    } finally {
      if (memory) this.pool!.release(memory);
    }
  }
}
