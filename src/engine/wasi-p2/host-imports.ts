import { cliImports, type CliContext } from "./cli-filesystem.js";
import { filesystemImports } from "./filesystem.js";
import { insecureRandom, insecureSeed, monotonicClock, random, wallClock } from "./clocks-random.js";
import { Fields } from "./http-fields.js";
import {
  FutureIncomingResponse, FutureTrailers, IncomingBody, IncomingRequest, IncomingResponse, OutgoingBody, OutgoingRequest,
  OutgoingResponse, RequestOptions, ResponseOutparam, deniedOutgoingHandler, httpErrorCode,
} from "./http-types.js";
import { InputStream, IoError, OutputStream, Pollable, poll } from "./io.js";
import { BufferInput, DiscardOutput } from "../io/memory-streams.js";

const EMPTY = new BufferInput();
const DISCARD = new DiscardOutput();

/**
 * The WASI 0.2 imports for one instance, keyed by interface name without version, as jco's
 * generated glue looks them up; so any 0.2.x minor version a component imports is served.
 */
export function wasiP2Imports(context: CliContext, filesRoot?: string): Record<string, Record<string, unknown>> {
  return {
    ...cliImports(context),
    ...filesystemImports(filesRoot),
    "wasi:io/error": { Error: IoError },
    "wasi:io/poll": { Pollable, poll },
    "wasi:io/streams": { InputStream, OutputStream },
    "wasi:clocks/monotonic-clock": monotonicClock,
    "wasi:clocks/wall-clock": wallClock,
    "wasi:random/random": random,
    "wasi:random/insecure": insecureRandom,
    "wasi:random/insecure-seed": insecureSeed,
    "wasi:http/types": {
      Fields, FutureIncomingResponse, FutureTrailers, IncomingBody, IncomingRequest, IncomingResponse, OutgoingBody,
      OutgoingRequest, OutgoingResponse, RequestOptions, ResponseOutparam, httpErrorCode,
    },
    "wasi:http/outgoing-handler": deniedOutgoingHandler,
  };
}

/** The interfaces (unversioned) a component may import; checked when `wisp up` prepares it. */
export const SERVED_INTERFACES: ReadonlySet<string> = new Set(
  Object.keys(wasiP2Imports({ args: [], env: [], stdin: EMPTY, stdout: DISCARD, stderr: DISCARD })),
);
