import {
  FutureIncomingResponse,
  IncomingResponse,
  type OutgoingRequest,
  type RequestOptions,
} from "../../engine/wasi-p2/index.js";
import { asyncHostCallsOf, hostCallsOf } from "../../engine/worker/host-call.js";
import type { RequestContext } from "../capability.js";
import { witErr, witError, witOk } from "../guest-errors.js";
import { httpDenial, isTargetAllowed, type AllowedHost } from "../outbound-networking/index.js";
import type { FetchArgs, OpenedOutcome, OutboundHttpHostCalls } from "./host-calls.js";
import { ArrivingBody } from "./arriving-body.js";
import { reachesSelf, requestTarget } from "./request-target.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as OutgoingHandler from "../../generated/wasi@0.2.12/interfaces/wasi-http-outgoing-handler.js";
import type { ErrorCode } from "../../generated/wasi@0.2.12/interfaces/wasi-http-types.js";

/**
 * A component's outbound HTTP grant (structured-cloneable, sent to workers): the limits on its
 * requests. Where they may go is its `allowedOutboundHosts`, which every outbound capability shares.
 */
export interface OutboundHttpGrant {
  componentId: string;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** The request an outgoing request is made for (see RequestContext). */
export type OutboundContext = RequestContext;

const NS_PER_MS = 1_000_000n;

const callMain = hostCallsOf<OutboundHttpHostCalls>();
const callMainAsync = asyncHostCallsOf<OutboundHttpHostCalls>();

/**
 * `wasi:http/outgoing-handler` for one instance: every request's final URL (see requestTarget)
 * is checked against the component's `allowed_outbound_hosts` before anything leaves, and
 * redirects are not followed by the host (fetchForGuest), so each hop the guest takes is checked
 * again. Nothing is allowed by default. For a suspending guest (see FutureIncomingResponse) the
 * answer is awaited: its thread runs other guests while main fetches.
 */
export function outgoingHandler(
  grant: OutboundHttpGrant,
  allowedOutboundHosts: readonly AllowedHost[],
  context: OutboundContext,
  suspends = false,
) {
  return {
    handle(request: OutgoingRequest, options: RequestOptions | undefined): FutureIncomingResponse {
      const target = requestTarget(request.scheme(), request.authority(), request.pathWithQuery(), context.selfOrigin);
      if (typeof target === "string") throw witError(target) satisfies ErrorCode;
      const { url, self } = target;
      if (!isTargetAllowed(allowedOutboundHosts, target)) {
        context.log(httpDenial(target, grant.componentId));
        throw witError("HTTP-request-denied") satisfies ErrorCode;
      }
      // The app's own address granted by name reaches the app as well: counted as `self` (see self-requests.ts).
      const toSelf = reachesSelf(target, context.selfOrigin);
      const timeoutMs = Math.min(
        grant.timeoutMs,
        nsToMs(options?.firstByteTimeout()) ?? Infinity,
        nsToMs(options?.connectTimeout()) ?? Infinity,
      );
      const fetchArgs = (): FetchArgs => ({
        method: request.methodName(),
        url: url.href,
        // A self request is addressed by Wisp's own origin, not the guest's `self.alt`.
        headers: self
          ? request
              .headers()
              .toHeaderPairs()
              .filter(([name]) => name.toLowerCase() !== "host")
          : request.headers().toHeaderPairs(),
        body: request.bodyBytes(),
        self: toSelf,
        timeoutMs,
        maxResponseBytes: grant.maxResponseBytes,
      });
      const answer = (outcome: OpenedOutcome) => {
        if (!outcome.ok) {
          context.log(`wisp: outbound request failed: ${outcome.message}`);
          return witErr(outcome.error);
        }
        if ("body" in outcome) return witOk(new IncomingResponse(outcome.status, outcome.headers, outcome.body));
        // Read as it arrives; what the guest leaves unread is let go of when its run ends.
        const body = new ArrivingBody(outcome.bodyId, context.log);
        context.atEnd?.(() => body.close());
        return witOk(new IncomingResponse(outcome.status, outcome.headers, body));
      };
      // A suspending guest's response comes as soon as its head has, its body streamed (http.open).
      return suspends
        ? new FutureIncomingResponse(() => callMainAsync("http.open", fetchArgs()).then(answer), true)
        : new FutureIncomingResponse(() => answer(callMain("http.fetch", fetchArgs())));
    },
  } satisfies HostImplementation<typeof OutgoingHandler>;
}

function nsToMs(ns: bigint | undefined): number | undefined {
  return ns === undefined ? undefined : Number(ns / NS_PER_MS);
}
