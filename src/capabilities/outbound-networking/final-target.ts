import { isAllowed, type AllowedHost } from "./allowed-hosts.js";

/**
 * Where an outbound connection really goes, as every outbound capability checks it: the URL it
 * connects to (scheme, canonical host, port), or the app itself (`self`). Built from the guest's
 * request or address once, and then both checked and used: the check must never see one target
 * and the connection take another.
 */
export interface OutboundTarget {
  url: URL;
  /** The app itself (a request without an authority): allowed by the `self` pattern only. */
  self: boolean;
}

/** Whether `allowed_outbound_hosts` allows the final target. Nothing is allowed by default. */
export function isTargetAllowed(allowed: readonly AllowedHost[], target: OutboundTarget): boolean {
  return target.self ? allowed.includes("self") : isAllowed(allowed, target.url);
}
