import { BufferInput } from "../../../../../engine/io/memory-streams.js";
import { AsyncComponentFactory, type PreparedComponent } from "../../../../../engine/component/index.js";
import type { Preopen } from "../../../../../engine/wasi-p1/index.js";
import { GuestExit, WasiP2Host } from "../../../../../engine/wasi-p2/index.js";
import {
  HandlerError,
  NO_STDIN,
  P3Filesystem,
  P3Network,
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
  socketGrant,
  type CapabilityImports,
  type ComponentGrants,
  type RequestContext,
} from "../../../../../capabilities/index.js";

/** What the worker loads once per wasi:http 0.3 component (structured-cloneable). */
export interface P3HttpSpec {
  p3: true;
  /** Whether its glue suspends it in the synchronous calls that wait (see p3SuspendingCalls): their hosts then answer promises. */
  suspends: boolean;
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
 * streams the response it returns. Its runs are concurrent (GuestSpec.concurrent): each has its
 * own WASI host and imports, so while one waits (a timer, an upstream, its request body) the
 * worker runs others.
 */
export class P3HttpProgram implements GuestProgram {
  /** The component's files at `/`, read-only (0.3's filesystem; 0.2's is WasiP2Host's). */
  private readonly directories: readonly Preopen[];

  constructor(
    private readonly factory: AsyncComponentFactory,
    private readonly spec: P3HttpSpec,
    private readonly capabilities: CapabilityImports,
  ) {
    this.directories = spec.filesRoot ? [{ hostPath: spec.filesRoot, guestPath: "/", writable: false }] : [];
  }

  async run(payload: unknown, io: JobIO): Promise<void> {
    const request = payload as WasiHttpPayload;
    const environment = { args: [], env: this.spec.environment };
    // Built per run (tens of µs; the request itself costs ms): concurrent runs share nothing.
    const wasi = new WasiP2Host(environment, this.spec.filesRoot, {
      suspends: this.spec.suspends,
      letGo: io.abandoned,
    });
    const stdio: P3Stdio = { stdin: NO_STDIN, stdout: io.stdout, stderr: io.stderr };
    wasi.begin({ ...stdio, stdin: EMPTY_STDIN });
    const context: RequestContext = {
      selfOrigin: request.selfOrigin,
      log: (line) => io.stderr.write(ENCODER.encode(line + "\n")),
      abandoned: io.abandoned,
    };
    const run = {
      filesystem: new P3Filesystem(this.directories),
      network: new P3Network(socketGrant(this.spec.grants.allowedOutboundHosts, context.log)),
    };
    const imports = p3Imports(
      wasi.imports,
      environment,
      () => stdio,
      run,
      this.capabilities(this.spec.grants, context, this.spec.suspends),
    );
    const instance = await this.factory.instantiate(imports);
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
      wasi.end();
      run.filesystem.close();
      run.network.close();
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
