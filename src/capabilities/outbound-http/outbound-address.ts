import { isAllowed, type AllowedHost } from "./allowed-hosts.js";

/** A kind of outbound connection a guest may open by address (Redis, PostgreSQL, MQTT...). */
export interface AddressKind {
  /** As the denial log names it ("a Redis connection"). */
  name: string;
  /** The URL schemes its addresses use, each with its default port. */
  defaultPorts: Record<string, string>;
}

/** Why an address was refused: not one of the kind's URLs, or not allowed by the manifest. */
export type AddressRefusal = { reason: "invalid" } | { reason: "denied"; message: string };

/**
 * Checks an address a guest wants to connect to against the component's `allowed_outbound_hosts`
 * (scheme, host and port, the scheme's default port when none is given). A denial is logged with
 * the pattern to add; each interface turns the refusal into its own error variant.
 */
export function checkOutboundAddress(
  address: string, kind: AddressKind, allowed: readonly AllowedHost[], log: (line: string) => void,
): AddressRefusal | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { reason: "invalid" };
  }
  const defaultPort = kind.defaultPorts[url.protocol];
  if (defaultPort === undefined) return { reason: "invalid" };
  const origin = new URL(`${url.protocol}//${url.hostname}:${url.port || defaultPort}`);
  if (isAllowed(allowed, origin)) return undefined;
  log(`wisp: denied ${kind.name} to ${origin.host}: add "${origin.protocol}//${origin.host}" to allowed_outbound_hosts to allow it`);
  return { reason: "denied", message: `access denied: ${origin.host} is not in allowed_outbound_hosts` };
}
