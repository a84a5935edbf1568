import { patternFor } from "./allowed-hosts.js";
import type { OutboundTarget } from "./final-target.js";

/**
 * The log lines that explain a refused outbound connection to the app's author (the component's
 * stderr), each with the pattern that would allow it; and the short message a guest gets. The
 * wording is pinned by tests and read by users: change it here, for every capability at once.
 */

/** An HTTP request's denial, naming the component whose manifest entry to change. */
export function httpDenial(target: OutboundTarget, componentId: string): string {
  const where = target.self ? `the app itself (${target.url.pathname})` : target.url.origin;
  const pattern = target.self ? "self" : patternFor(target.url);
  const advice = pattern
    ? `add "${pattern}" to allowed_outbound_hosts of [component.${componentId}] to allow it`
    : "no allowed_outbound_hosts pattern can allow this host";
  return `wisp: denied an outbound request to ${where}: ${advice}`;
}

/** A connection by address (Redis, PostgreSQL, MySQL, MQTT): `what` as AddressKind names it. */
export function addressDenial(what: string, url: URL): string {
  return `wisp: denied ${what} to ${url.host}: add "${patternFor(url) ?? `${url.protocol}//${url.host}`}" to allowed_outbound_hosts to allow it`;
}

/** An address that is no address of its kind: `why` as parseOutboundAddress says it. */
export function addressRefusal(what: string, why: string): string {
  return `wisp: refused ${what}: ${why}`;
}

/** What the guest is told of a denied address (its interface's error text). */
export function guestDenial(url: URL): string {
  return `access denied: ${url.host} is not in allowed_outbound_hosts`;
}
