export { NO_NETWORK, ResolvedNames, commandNetwork, type NetworkGrant, type SocketUse } from "./network-grant.js";
export {
  addressText,
  ipOf,
  ipText,
  parseIp,
  socketAddress,
  wildcard,
  type IpAddress,
  type IpAddressFamily,
  type IpSocketAddress,
} from "./socket-address.js";
