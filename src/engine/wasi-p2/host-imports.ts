import { cliImports, cliStreams, type CliEnvironment, type CliStdio, type CliStreams } from "./cli-filesystem.js";
import { RequestFilesystem, filesystemImports, grantedDirectories, type GrantedDirectory } from "./filesystem.js";
import { insecureRandom, insecureSeed, monotonicClockOf, random, wallClock } from "./clocks-random.js";
import { Fields } from "./http-fields.js";
import {
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest,
  IncomingResponse,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  RequestOptions,
  ResponseOutparam,
  deniedOutgoingHandler,
  httpErrorCode,
} from "./http-types.js";
import { InputStream, IoError, OutputStream, Pollable, poll, suspendingPoll } from "./io.js";
import { P2Network } from "./sockets/index.js";
import type { NetworkGrant } from "../network/index.js";
import type { UnversionedImports } from "../component/host-implementation.js";
import type { ImportObject as WasiImports } from "../../generated/wasi@0.2.12/world.js";

/** What one request's WASI imports hand out: its standard streams and its filesystem (made on first use). */
interface RequestState {
  streams: CliStreams;
  filesystem?: RequestFilesystem;
}

/**
 * The WASI 0.2 imports of one component, keyed by interface name without version, as jco's
 * generated glue looks them up; so any 0.2.x minor version a component imports is served.
 *
 * Built once per component and reused by every instantiation: the calls reach the request being
 * served through `begin`, because building the ~20 interface objects per request was a good share
 * of a small component's request time (BENCHMARKS.md). One request at a time: a guest whose runs
 * overlap (suspending glue) gets one per run.
 */
export class WasiP2Host {
  readonly imports: Record<string, Record<string, unknown>>;
  private request: RequestState | undefined;
  private readonly network: P2Network;

  constructor(
    environment: CliEnvironment,
    /** The component's files at `/` (a path, read-only), or directories at paths of their own (wisp run). */
    filesRoot?: string | readonly GrantedDirectory[],
    /**
     * Whether the guest's glue suspends while it waits (see SuspendingGlue): its timers then
     * settle, not block, and fail once `letGo` is aborted (its request let go of). `network`: where
     * its sockets may go (none unless granted); only a guest whose glue suspends can wait on one.
     */
    { suspends = false, letGo, network }: { suspends?: boolean; letGo?: AbortSignal; network?: NetworkGrant } = {},
  ) {
    this.network = new P2Network(network);
    // A run let go of loses its sockets at once: whatever it waits on them for ends.
    letGo?.addEventListener("abort", () => this.network.close(), { once: true });
    const directories = grantedDirectories(filesRoot);
    const current = (): RequestState => {
      if (!this.request) throw new Error("a WASI call arrived while no request was being served");
      return this.request;
    };
    this.imports = {
      ...cliImports(environment, () => current().streams),
      // Made on first use: most components never ask.
      ...filesystemImports(() => (current().filesystem ??= new RequestFilesystem(directories))),
      "wasi:io/error": { Error: IoError },
      // The suspending glue awaits what `poll` answers (a promise while it waits).
      "wasi:io/poll": {
        Pollable,
        poll: suspends ? (pollables: Pollable[]) => suspendingPoll(pollables, letGo) as Uint32Array : poll,
      },
      "wasi:io/streams": { InputStream, OutputStream },
      "wasi:clocks/monotonic-clock": monotonicClockOf(suspends, letGo),
      "wasi:clocks/wall-clock": wallClock,
      "wasi:random/random": random,
      "wasi:random/insecure": insecureRandom,
      "wasi:random/insecure-seed": insecureSeed,
      "wasi:http/types": {
        Fields,
        FutureIncomingResponse,
        FutureTrailers,
        IncomingBody,
        IncomingRequest,
        IncomingResponse,
        OutgoingBody,
        OutgoingRequest,
        OutgoingResponse,
        RequestOptions,
        ResponseOutparam,
        httpErrorCode,
      },
      "wasi:http/outgoing-handler": deniedOutgoingHandler,
      ...this.network.imports(),
    } satisfies UnversionedImports<WasiImports>;
  }

  /** Serves the next request with these streams, until `end`. */
  begin(stdio: CliStdio): void {
    this.request = { streams: cliStreams(stdio) };
  }

  /** The request is over: the files and sockets it left open are closed. */
  end(): void {
    this.request?.filesystem?.close();
    this.network.close();
    this.request = undefined;
  }
}

/** The interfaces (unversioned) a component may import; checked when `wisp up` prepares it. */
export const SERVED_INTERFACES: ReadonlySet<string> = new Set(
  Object.keys(new WasiP2Host({ args: [], env: [] }).imports),
);
