import type { AllowedHost } from "./allowed-hosts.js";
import { addressDenial, addressRefusal, guestDenial } from "./denial.js";
import { isTargetAllowed } from "./final-target.js";
import { canonicalHost, socketHost } from "./host-name.js";

/** A kind of outbound connection a guest may open by address (Redis, PostgreSQL, MQTT...). */
export interface AddressKind {
  /** As the denial log names it ("a Redis connection"). */
  name: string;
  /** The URL schemes its addresses use (with the colon), each with its default port. */
  defaultPorts: Record<string, string>;
  /**
   * The query parameters its driver may read from the address. Any other is refused: drivers
   * read `host`, `port`, `socketPath`, `path` and file names from the query, which would
   * connect them somewhere the check never saw (or read the host's files).
   */
  params?: readonly string[];
}

/** An address as checked: the one form handed to the driver, and the host and port it names. */
export interface OutboundAddress {
  /** Normalised: canonical host, explicit port, only the kind's query parameters, no fragment. */
  url: URL;
  /** The host as a socket takes it (an IPv6 address without brackets). */
  host: string;
  port: number;
}

/**
 * Reads an address a guest wants to connect to, or says why it is not one of the kind's
 * addresses. Main's drivers connect to what this returns (its `url.href`, or its host and port),
 * so the address the grant check sees is the address connected to.
 */
export function parseOutboundAddress(address: string, kind: AddressKind): OutboundAddress | { invalid: string } {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { invalid: "it is not a URL" };
  }
  const defaultPort = kind.defaultPorts[url.protocol];
  if (defaultPort === undefined)
    return {
      invalid: `it is not a ${Object.keys(kind.defaultPorts)
        .map((s) => `${s}//`)
        .join(" or ")} URL`,
    };
  const host = canonicalHost(url.hostname);
  if (host === undefined) return { invalid: `"${url.hostname}" is not a host name or IP address` };
  const stray = [...url.searchParams.keys()].find((key) => !kind.params?.includes(key));
  if (stray !== undefined)
    return { invalid: `the query parameter "${stray}" is not accepted (it could change where the connection goes)` };
  url.hostname = host;
  url.port = url.port || defaultPort;
  url.hash = "";
  // The URL Standard leaves out a special scheme's default port; these schemes are not special.
  return { url, host: socketHost(host), port: Number(url.port || defaultPort) };
}

/** What a check answers: the normalised address to connect to, or why not. */
export type CheckedAddress =
  { ok: true; address: string } | { ok: false; reason: "invalid" | "denied"; message: string };

/**
 * Checks an address a guest wants to connect to against the component's `allowed_outbound_hosts`
 * (scheme, host and port, the scheme's default port when none is given). A refusal is logged
 * (a denial with the pattern to add); each interface turns it into its own error variant. The
 * caller must connect to the returned address, never to the one it was given.
 */
export function checkOutboundAddress(
  address: string,
  kind: AddressKind,
  allowed: readonly AllowedHost[],
  log: (line: string) => void,
): CheckedAddress {
  const parsed = parseOutboundAddress(address, kind);
  if ("invalid" in parsed) {
    log(addressRefusal(kind.name, parsed.invalid));
    return { ok: false, reason: "invalid", message: `invalid address: ${parsed.invalid}` };
  }
  const { url } = parsed;
  if (isTargetAllowed(allowed, { url, self: false })) return { ok: true, address: url.href };
  log(addressDenial(kind.name, url));
  return { ok: false, reason: "denied", message: guestDenial(url) };
}
