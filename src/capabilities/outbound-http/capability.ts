import type { Capability } from "../capability.js";
import type { HostCallHandlersFor } from "../../engine/worker/protocol.js";
import type { OutboundHttpHostCalls } from "./host-calls.js";
import type { OutboundHttpGrant } from "./outgoing-handler.js";

/** Limits on a component's outbound HTTP requests (its own deadline also bounds them). */
const OUTBOUND_TIMEOUT_MS = 30_000;
const OUTBOUND_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Outbound HTTP: `wasi:http/outgoing-handler` (0.2) and `wasi:http/client` (0.3), each request's final URL checked against the
 * component's `allowed_outbound_hosts` and sent by main (one connection pool for all workers).
 */
export const outboundHttp: Capability<OutboundHttpGrant> = {
  name: "outbound HTTP",
  interfaces: {},
  wasiInterfaces: { "wasi:http/outgoing-handler": "wasi:http@0.2.x", "wasi:http/client": "wasi:http@0.3.x" },
  // A 0.2 guest waits for its response on the future's pollable (see FutureIncomingResponse).
  suspending: { "wasi:http/outgoing-handler": [] },
  manifestKeys: [],
  grant: (component) => ({
    componentId: component.id,
    timeoutMs: OUTBOUND_TIMEOUT_MS,
    maxResponseBytes: OUTBOUND_MAX_RESPONSE_BYTES,
  }),
  noGrant: (componentId) => ({
    componentId,
    timeoutMs: OUTBOUND_TIMEOUT_MS,
    maxResponseBytes: OUTBOUND_MAX_RESPONSE_BYTES,
  }),
  guestImports: async () => (await import("./guest-imports.js")).outboundHttpImports,
  hostCalls: {
    "http.fetch": async (args, caller) => (await import("./fetch-host-call.js")).fetchForGuest(args, caller),
    "http.open": async (args, caller) => (await import("./streamed-fetch.js")).openForGuest(args, caller),
    "http.read": async (args) => (await import("./streamed-fetch.js")).readBody(args),
    "http.cancel": async (args) => (await import("./streamed-fetch.js")).cancelBody(args),
  } satisfies HostCallHandlersFor<OutboundHttpHostCalls>,
};
