export { isAllowed, parseAllowedHost, patternFor, type AllowedHost } from "./allowed-hosts.js";
export { fetchForGuest, type FetchArgs, type FetchOutcome } from "./fetch-host-call.js";
export { canonicalHost, socketHost } from "./host-name.js";
export { checkOutboundAddress, parseOutboundAddress, type AddressKind, type CheckedAddress, type OutboundAddress } from "./outbound-address.js";
export { outgoingHandler, type OutboundContext, type OutboundHttpGrant } from "./outgoing-handler.js";
export { requestTarget, type RequestTarget, type TargetRefusal } from "./request-target.js";
export { admitSelfRequest, MAX_SELF_DEPTH, SELF_DEPTH_HEADER, takeSelfDepth } from "./self-requests.js";
