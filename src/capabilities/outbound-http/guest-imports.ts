import type { GuestImportsBuilder } from "../capability.js";
import { outgoingHandler, type OutboundHttpGrant } from "./outgoing-handler.js";
import { p3Client } from "./p3-client.js";

/**
 * Worker: wasi:http/outgoing-handler (0.2) in place of WASI's default, which denies every
 * request, and wasi:http/client (0.3), which only this capability serves.
 */
export const outboundHttpImports: GuestImportsBuilder<OutboundHttpGrant> = (grant, instance) => ({
  "wasi:http/outgoing-handler": outgoingHandler(
    grant,
    instance.allowedOutboundHosts,
    instance.request,
    instance.suspends,
  ),
  "wasi:http/client": p3Client(grant, instance.allowedOutboundHosts, instance.request),
});
