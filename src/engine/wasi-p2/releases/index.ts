import { IncomingRequest, ResponseOutparam } from "../http-types.js";
import { IncomingRequest1018, ResponseOutparam1018, rc20231018Imports, type ClockAndPoll } from "./rc-2023-10-18.js";
import { rc20231110Types } from "./rc-2023-11-10.js";
import type { FutureIncomingResponse, OutgoingRequest, RequestOptions } from "../http-types.js";

/**
 * The release candidates of WASI 0.2 that Spin serves beside 0.2.x, and so Wisp: components built
 * by Spin 2's SDKs and the toolchains of late 2023 import them. Each is served by the 0.2 host:
 * under the unversioned names where the interface is 0.2.0's unchanged, and by an object of its
 * own (its name with the version, see GLUE_NAMES) where its shapes differ.
 */

const RC_2023_10_18 = "0.2.0-rc-2023-10-18";
const RC_2023_11_10 = "0.2.0-rc-2023-11-10";

/**
 * What each release candidate serves, by unversioned name. rc-2023-10-18: its wasi:http, wasi:io,
 * monotonic clock and timezone (adapted, see GLUE_NAMES), its filesystem (0.2.0's host keeps
 * the calls it had), and what it shares with 0.2.0 unchanged (cli, random, wall-clock); not its
 * sockets, which Wisp does not serve in any release. rc-2023-11-10: every interface the 0.2 host serves.
 */
export function releaseCandidatesServed(served02: Iterable<string>): Map<string, string[]> {
  const rc1018 = new Set([
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:http/types",
    "wasi:http/outgoing-handler",
    "wasi:clocks/monotonic-clock",
    "wasi:clocks/timezone",
    ...[...served02].filter(
      (name) => /^wasi:(cli|random|filesystem)\//.test(name) || name === "wasi:clocks/wall-clock",
    ),
  ]);
  const served = new Map<string, string[]>();
  for (const name of served02) served.set(name, [RC_2023_11_10]);
  for (const name of rc1018) served.set(name, [...(served.get(name) ?? []), RC_2023_10_18]);
  return served;
}

/** The imports the glue asks for by their versioned names: those the releases serve with objects of their own. */
export const RELEASE_GLUE_NAMES: readonly string[] = [
  `wasi:clocks/monotonic-clock@${RC_2023_10_18}`,
  `wasi:clocks/timezone@${RC_2023_10_18}`,
  `wasi:io/poll@${RC_2023_10_18}`,
  `wasi:io/streams@${RC_2023_10_18}`,
  `wasi:http/types@${RC_2023_10_18}`,
  `wasi:http/outgoing-handler@${RC_2023_10_18}`,
  `wasi:http/types@${RC_2023_11_10}`,
];

interface OutgoingHandler02 {
  handle(request: OutgoingRequest, options: RequestOptions | undefined): FutureIncomingResponse;
}

/**
 * `imports` (the 0.2 host's, keyed unversioned, capabilities' included) with the release
 * candidates' own objects added; their outbound requests go through the 0.2 outgoing handler
 * in `imports`, so through the same grants, and their clock and poll are the host's (so a
 * suspending guest's wait, see SuspendingGlue, whatever release it imports).
 */
export function withReleaseCandidates(
  imports: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  const handler = imports["wasi:http/outgoing-handler"] as unknown as OutgoingHandler02;
  // The 0.2 host's own clock and poll: a suspending guest's (see WasiP2Host) settle rather than block.
  const clockAndPoll = {
    clock: imports["wasi:clocks/monotonic-clock"],
    poll: imports["wasi:io/poll"]!.poll,
  } as unknown as ClockAndPoll;
  return {
    ...imports,
    ...rc20231018Imports(handler, clockAndPoll),
    [`wasi:http/types@${RC_2023_11_10}`]: rc20231110Types(imports["wasi:http/types"]!),
  };
}

/** The incoming-handler export versions the executor calls, with the 0.2 release first. */
export const INCOMING_HANDLER_VERSIONS: readonly string[] = ["0.2.0", RC_2023_11_10, RC_2023_10_18];

/** How to hand a request to a component's incoming-handler, by the version it exports. */
export type HandlerCall = (
  handler: { handle(request: unknown, response: unknown): void | Promise<void> },
  request: IncomingRequest,
  response: ResponseOutparam,
) => void | Promise<void>;

const callAsIs: HandlerCall = (handler, request, response) => handler.handle(request, response);
const callRc20231018: HandlerCall = (handler, request, response) =>
  handler.handle(new IncomingRequest1018(request), new ResponseOutparam1018(response));

export function handlerCall(exportedVersion: string): HandlerCall {
  return exportedVersion === RC_2023_10_18 ? callRc20231018 : callAsIs;
}
