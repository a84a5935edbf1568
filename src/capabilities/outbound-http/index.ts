export { outboundHttp } from "./capability.js";
export type { OutboundHttpGrant } from "./outgoing-handler.js";
export { admitSelfRequest, MAX_SELF_DEPTH, SELF_DEPTH_HEADER, takeSelfDepth } from "./self-requests.js";
