export { isAllowed, parseAllowedHost, patternFor, type AllowedHost } from "./allowed-hosts.js";
export { allowedOutboundHosts } from "./allowed-outbound-hosts.js";
export { addressDenial, addressRefusal, guestDenial, httpDenial } from "./denial.js";
export { isTargetAllowed, type OutboundTarget } from "./final-target.js";
export { canonicalHost, socketHost } from "./host-name.js";
export {
  checkOutboundAddress,
  parseOutboundAddress,
  type AddressKind,
  type CheckedAddress,
  type OutboundAddress,
} from "./outbound-address.js";
export { outboundNetworking } from "./capability.js";
export { socketGrant } from "./socket-grant.js";
