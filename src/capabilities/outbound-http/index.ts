export { isAllowed, parseAllowedHost, type AllowedHost } from "./allowed-hosts.js";
export { fetchForGuest, type FetchArgs, type FetchOutcome } from "./fetch-host-call.js";
export { outgoingHandler, type OutboundContext, type OutboundHttpGrant } from "./outgoing-handler.js";
