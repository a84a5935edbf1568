import { BufferInput } from "../../../../../engine/io/memory-streams.js";
import { AsyncComponentFactory, type PreparedComponent } from "../../../../../engine/component/index.js";
import { GuestExit, WasiP2Host } from "../../../../../engine/wasi-p2/index.js";
import {
  HandlerError,
  NO_STDIN,
  incomingRequest,
  p3Imports,
  serveWith,
  type P3Handler,
  type P3Stdio,
} from "../../../../../engine/wasi-p3/index.js";
import { JobFailed, type GuestProgram, type JobIO } from "../../../../../engine/worker/job.js";
import type { WasiHttpPayload } from "../wasi-http-payload.js";
import {
  loadCapabilityImports,
  type CapabilityImports,
  type ComponentGrants,
  type RequestContext,
} from "../../../../../capabilities/index.js";

/** What the worker loads once per wasi:http 0.3 component (structured-cloneable). */
export interface P3HttpSpec {
  p3: true;
  prepared: PreparedComponent;
  maxMemoryBytes: number;
  filesRoot?: string;
  environment: Array<[string, string]>;
  grants: ComponentGrants;
}

const ENCODER = new TextEncoder();

/** 0.2's stdin, for a component importing it beside 0.3's: empty, as 0.3's (see NO_STDIN). */
const EMPTY_STDIN = new BufferInput();

function findHandler(exports: Record<string, unknown>): P3Handler {
  for (const [name, value] of Object.entries(exports))
    if (name === "handler" || name.startsWith("wasi:http/handler@0.3")) return value as P3Handler;
  throw new JobFailed(500, "the component does not export wasi:http/handler@0.3.x");
}

/**
 * The wasi:http 0.3 executor's program: every request instantiates the component afresh (new
 * cores, new memories: see AsyncComponentFactory), calls `handler.handle` with the request, and
 * streams the response it returns. The run is async: a guest waiting on the host (a timer, its
 * request body) suspends on JSPI rather than blocking in the host.
 */
export class P3HttpProgram implements GuestProgram {
  private readonly wasi: WasiP2Host;
  private readonly imports: Record<string, Record<string, unknown>>;
  private stdio: P3Stdio | undefined;
  /** The request being served, as the capability imports see it (one job at a time per worker). */
  private readonly context: RequestContext = { log: () => {} };

  constructor(
    private readonly factory: AsyncComponentFactory,
    spec: P3HttpSpec,
    capabilities: CapabilityImports,
  ) {
    const environment = { args: [], env: spec.environment };
    this.wasi = new WasiP2Host(environment, spec.filesRoot);
    this.imports = p3Imports(
      this.wasi.imports,
      environment,
      () => {
        if (!this.stdio) throw new Error("a WASI call arrived while no request was being served");
        return this.stdio;
      },
      capabilities(spec.grants, this.context),
    );
  }

  async run(payload: unknown, io: JobIO): Promise<void> {
    const request = payload as WasiHttpPayload;
    this.context.selfOrigin = request.selfOrigin;
    this.context.log = (line) => io.stderr.write(ENCODER.encode(line + "\n"));
    this.stdio = { stdin: NO_STDIN, stdout: io.stdout, stderr: io.stderr };
    this.wasi.begin({ ...this.stdio, stdin: EMPTY_STDIN });
    const instance = await this.factory.instantiate(this.imports);
    try {
      await serveWith(findHandler(instance.exports), incomingRequest({ ...request, body: io.body }), io.response);
    } catch (error) {
      if (error instanceof HandlerError) throw new JobFailed(500, error.message);
      if (error instanceof GuestExit)
        throw new JobFailed(
          500,
          `the component exited (wasi:cli/exit, status ${error.code}) before its response was complete`,
        );
      throw error;
    } finally {
      instance.release();
      this.wasi.end();
      this.stdio = undefined;
    }
  }
}

export async function loadP3(spec: P3HttpSpec): Promise<P3HttpProgram> {
  return new P3HttpProgram(
    await AsyncComponentFactory.load(spec.prepared, spec.maxMemoryBytes),
    spec,
    await loadCapabilityImports(),
  );
}
