import type { GuestImportsBuilder } from "../capability.js";
import { outgoingHandler, type OutboundHttpGrant } from "./outgoing-handler.js";

/** Worker: wasi:http/outgoing-handler in place of WASI's default, which denies every request. */
export const outboundHttpImports: GuestImportsBuilder<OutboundHttpGrant> = (grant, instance) => ({
  "wasi:http/outgoing-handler": outgoingHandler(grant, instance.allowedOutboundHosts, instance.request),
});
