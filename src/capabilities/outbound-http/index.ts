export { fetchForGuest, type FetchArgs, type FetchOutcome } from "./fetch-host-call.js";
export { outgoingHandler, type OutboundContext, type OutboundHttpGrant } from "./outgoing-handler.js";
export { requestTarget, type RequestTarget, type TargetRefusal } from "./request-target.js";
export { admitSelfRequest, MAX_SELF_DEPTH, SELF_DEPTH_HEADER, takeSelfDepth } from "./self-requests.js";
