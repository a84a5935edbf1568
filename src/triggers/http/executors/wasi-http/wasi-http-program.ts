import { BufferInput } from "../../../../engine/io/memory-streams.js";
import { flushedWhenWaiting } from "../../../../engine/io/flushed-when-waiting.js";
import { ComponentFactory } from "../../../../engine/component/component-factory.js";
import type { PreparedComponent } from "../../../../engine/component/prepare-component.js";
import {
  GuestExit,
  IncomingRequest,
  ResponseOutparam,
  WasiP2Host,
  handlerCall,
  withReleaseCandidates,
  type HandlerCall,
} from "../../../../engine/wasi-p2/index.js";
import { splitVersion } from "../../../../engine/component/served-interfaces.js";
import {
  loadCapabilityImports,
  type CapabilityImports,
  type ComponentGrants,
  type RequestContext,
} from "../../../../capabilities/index.js";
import {
  JobFailed,
  type GuestProgram,
  type JobIO,
  type LoadGuest,
  type ResponseSink,
} from "../../../../engine/worker/job.js";
import { INLINE_FUEL, NeedsWorker } from "../../../../engine/inline/inline-program.js";
import type { Spin1Spec } from "./spin1/spin1-program.js";
import type { P3HttpSpec } from "./p3/p3-http-program.js";
import type { WasiHttpPayload } from "./wasi-http-payload.js";
import { unversionedSpinHosts } from "./spin1/unversioned-spin.js";
import { socketReach } from "./socket-reach.js";

/** What the worker loads once per wasi:http component (structured-cloneable). */
export interface WasiHttpSpec {
  prepared: PreparedComponent;
  maxMemoryBytes: number;
  filesRoot?: string;
  environment: Array<[string, string]>;
  grants: ComponentGrants;
}

const ENCODER = new TextEncoder();
/** A component's stdin is empty (the request body is its own stream); reading it ends at once, so one serves all. */
const EMPTY_STDIN = new BufferInput();

type Handler = { handle(request: unknown, response: unknown): void | Promise<void> };
/** Spin 1.4's handler, `fermyon:spin/inbound-http` (unversioned): a request record in, a response record out. */
type InboundHttp = {
  handleRequest(request: {
    method: string;
    uri: string;
    headers: Array<[string, string]>;
    params: Array<[string, string]>;
    body?: Uint8Array;
  }): { status: number; headers?: Array<[string, string]>; body?: Uint8Array };
};

function findHandler(exports: Record<string, unknown>): { handler: Handler } | { inbound: InboundHttp } {
  for (const [name, value] of Object.entries(exports)) {
    if (name === "incomingHandler" || name.startsWith("wasi:http/incoming-handler@0.2"))
      return { handler: value as Handler };
  }
  for (const [name, value] of Object.entries(exports))
    if (name === "inboundHttp" || name === "fermyon:spin/inbound-http") return { inbound: value as InboundHttp };
  throw new JobFailed(500, "the component does not export wasi:http/incoming-handler@0.2.x");
}

/** Spin 1's methods, as its `method` enum names them. */
const SPIN1_METHODS = new Set(["get", "post", "put", "delete", "patch", "head", "options"]);

/** Calls Spin 1.4's `inbound-http.handle-request` with the whole request, and sends its response. */
function callInbound(inbound: InboundHttp, request: WasiHttpPayload, io: JobIO): void {
  const method = request.method.toLowerCase();
  if (!SPIN1_METHODS.has(method) || request.method !== request.method.toUpperCase())
    throw new JobFailed(
      405,
      `method ${request.method} has no case in Spin 1's HTTP interface (fermyon:spin/inbound-http)`,
    );
  const chunks: Uint8Array[] = [];
  for (let chunk = io.body.read(1 << 20); chunk !== null; chunk = io.body.read(1 << 20)) chunks.push(chunk);
  const response = inbound.handleRequest({
    method,
    uri: request.pathWithQuery,
    headers: request.headers,
    params: [],
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  io.response.head(response.status, response.headers ?? []);
  if (response.body?.length) io.response.body.write(response.body);
  io.response.body.close();
}

/**
 * The wasi:http executor: every request instantiates the component afresh (pooled, zeroed
 * memories, see ComponentFactory), calls `incoming-handler.handle`, and streams the response the
 * guest sets. On a worker it serves every component; on the server's own thread (`inline`, see
 * wasi-http-inline) a component with metered cores and no capability imports, for a budget of
 * fuel: a run that spends it gives up (NeedsWorker), however it ended.
 */
export class WasiHttpProgram implements GuestProgram {
  /** The request being served, as the capability imports see it (one job at a time per worker). */
  private readonly context: RequestContext = { log: () => {} };
  private readonly wasi: WasiP2Host;
  /** Built once: the grants never change, only `context` and the WASI host's request do. */
  private readonly imports: Record<string, Record<string, unknown>>;
  /** How the request reaches the handler: as the release of wasi:http it exports takes it. */
  private readonly call: HandlerCall;
  /** Spin 1.4's unversioned interfaces, whose stores and connections last one request. */
  private readonly unversioned: ReturnType<typeof unversionedSpinHosts> | undefined;

  /** Whether its glue suspends (see suspendingGlue): then its runs overlap. */
  private readonly suspends: boolean;

  constructor(
    private readonly factory: ComponentFactory,
    private readonly spec: WasiHttpSpec,
    /** What builds the capabilities' imports; none for a component run inline (their calls wait on the main thread's answers). */
    private readonly capabilities?: CapabilityImports,
  ) {
    this.suspends = spec.prepared.glue === "suspending";
    if (this.suspends && !capabilities) throw new Error("a suspending guest runs on a worker, with its capabilities");
    this.wasi = new WasiP2Host({ args: [], env: spec.environment }, spec.filesRoot, {
      network: socketReach(spec.grants, false, (line) => this.context.log(line)),
    });
    // Capabilities come last: what a grant serves replaces WASI's default (outbound HTTP: deny).
    const granted = capabilities ? { ...this.wasi.imports, ...capabilities(spec.grants, this.context) } : undefined;
    this.unversioned = granted ? unversionedSpinHosts(granted) : undefined;
    this.imports = withReleaseCandidates(granted ? { ...granted, ...this.unversioned!.imports } : this.wasi.imports);
    const handlerExport = spec.prepared.world.exports.find((name) => name.startsWith("wasi:http/incoming-handler@"));
    this.call = handlerCall(handlerExport ? splitVersion(handlerExport).version : "");
  }

  /**
   * Instantiates the component once and gives the instance back, as after a request (see
   * ComponentFactory): the first request then finds its core instances made and reset, as every
   * later one does, instead of paying for them (for the http-ts hello, tens of ms of instantiation,
   * fresh image and glue, which a worker started early pays before the server is listening). No handler
   * runs. A component that cannot be instantiated outside a request is left as it was: its first
   * request instantiates it, and reports what fails.
   */
  warm(): void {
    try {
      this.factory.instantiate(this.imports).release();
    } catch {
      // See above: the first request reports it.
    }
  }

  run(payload: unknown, io: JobIO): void | Promise<void> {
    if (this.suspends) return this.runSuspending(payload as WasiHttpPayload, io);
    const request = payload as WasiHttpPayload;
    this.context.selfOrigin = request.selfOrigin;
    this.context.log = (line) => io.stderr.write(ENCODER.encode(line + "\n"));
    this.wasi.begin({ stdin: EMPTY_STDIN, stdout: io.stdout, stderr: io.stderr });
    this.unversioned?.reset();
    const instance = this.factory.instantiate(this.imports);
    for (const counter of instance.fuel) counter.value = INLINE_FUEL;
    try {
      const found = findHandler(instance.exports);
      if ("inbound" in found) return callInbound(found.inbound, request, io);
      const outparam = new ResponseOutparam(io.response);
      try {
        void this.call(found.handler, new IncomingRequest({ ...request, body: io.body }), outparam);
      } catch (error) {
        exitedWith(error);
      }
      finish(outparam, io.response);
    } finally {
      // Checked whatever the run's end: the glue may have turned the trap into an error value.
      const spent = instance.fuel.some((counter) => (counter.value as number) < 0);
      instance.release();
      this.wasi.end();
      // eslint-disable-next-line no-unsafe-finally -- a spent budget outranks whatever the run ended with: the request moves to a worker
      if (spent) throw new NeedsWorker("budget");
    }
  }

  /**
   * A run of a suspending guest (see suspendingGlue): its handler answers a promise, settled when
   * the guest returns, and the thread runs other requests while it waits. Runs overlap, so each
   * has its own WASI host, request context and imports (tens of µs; such a guest's request waits
   * on main for far longer).
   */
  private async runSuspending(request: WasiHttpPayload, io: JobIO): Promise<void> {
    const log = (line: string) => io.stderr.write(ENCODER.encode(line + "\n"));
    const wasi = new WasiP2Host({ args: [], env: this.spec.environment }, this.spec.filesRoot, {
      suspends: true,
      letGo: io.abandoned,
      network: socketReach(this.spec.grants, true, log),
    });
    wasi.begin({ stdin: EMPTY_STDIN, stdout: io.stdout, stderr: io.stderr });
    const cleanups: Array<() => void> = [];
    const context: RequestContext = {
      selfOrigin: request.selfOrigin,
      log,
      abandoned: io.abandoned,
      atEnd: (cleanup) => cleanups.push(cleanup),
    };
    const imports = withReleaseCandidates({ ...wasi.imports, ...this.capabilities!(this.spec.grants, context, true) });
    const instance = this.factory.instantiate(imports);
    try {
      const found = findHandler(instance.exports);
      if ("inbound" in found) throw new JobFailed(500, "Spin 1.4's inbound-http is not called by suspending glue");
      const response = flushedWhenWaiting(io.response);
      const outparam = new ResponseOutparam(response);
      try {
        await this.call(found.handler, new IncomingRequest({ ...request, body: io.body }), outparam);
      } catch (error) {
        exitedWith(error);
      }
      finish(outparam, response);
    } finally {
      instance.release();
      wasi.end();
      for (const cleanup of cleanups) cleanup();
    }
  }
}

/**
 * A handler's failure: a guest's own `wasi:cli/exit` with success ends the run as a return
 * does; with failure, whatever it wrote is aborted (a JS component's failed body stream, see
 * sdk/internal/response-body-guard.js). Anything else is the run's failure.
 */
function exitedWith(error: unknown): void {
  if (!(error instanceof GuestExit)) throw error;
  if (!error.ok)
    throw new JobFailed(500, "the component exited with an error status (wasi:cli/exit): its response was aborted");
}

/** The response the handler set, checked and ended. */
function finish(outparam: ResponseOutparam, response: ResponseSink): void {
  const outcome = outparam.outcome;
  if (!outcome) throw new JobFailed(500, "the component returned without setting a response (response-outparam.set)");
  if ("error" in outcome)
    throw new JobFailed(500, `the component answered with an error: ${JSON.stringify(outcome.error)}`);
  // A body the guest dropped without `outgoing-body.finish` is cut short (its stream failed,
  // say): the client must see an error, never a clean short body (wasmtime aborts it too).
  const body = outcome.response.body_;
  if (body && !body.finished) {
    throw new JobFailed(
      500,
      "the component's response body ended without outgoing-body.finish (its stream failed?): the response was aborted",
    );
  }
  response.body.close();
}

/** A worker's load: the program, warmed (see warm); a Spin 1 module's program (see spin1/). */
export const load: LoadGuest = async (spec) => {
  if ("p3" in (spec as object)) {
    const { loadP3 } = await import("./p3/p3-http-program.js");
    return loadP3(spec as P3HttpSpec);
  }
  if ("spin1" in (spec as object)) {
    const { Spin1Program } = await import("./spin1/spin1-program.js");
    return new Spin1Program(spec as Spin1Spec, await loadCapabilityImports());
  }
  const wasiHttp = spec as WasiHttpSpec;
  const program = new WasiHttpProgram(
    await ComponentFactory.load(wasiHttp.prepared, wasiHttp.maxMemoryBytes),
    wasiHttp,
    await loadCapabilityImports(),
  );
  program.warm();
  return program;
};
