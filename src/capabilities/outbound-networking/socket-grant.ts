import type { NetworkGrant, SocketUse } from "../../engine/network/index.js";
import { hostMatches, isAllowed, type AllowedHost } from "./allowed-hosts.js";
import { canonicalHost } from "./host-name.js";

/** The scheme a use of a socket is granted by in allowed_outbound_hosts, as Spin names it. */
const SCHEMES: Record<Exclude<SocketUse, "tcp-bind">, string> = {
  "tcp-connect": "tcp",
  "udp-bind": "udp",
  "udp-connect": "udp",
  "udp-send": "udp",
};

/**
 * A served component's wasi:sockets grant, as Spin checks it: a TCP connection needs
 * `tcp://HOST:PORT` in allowed_outbound_hosts, a UDP bind, connect or datagram
 * `udp://HOST:PORT`; listening (a TCP bind) is never granted: a component serves through its
 * trigger. HOST may be the IP, or a name the guest looked up (ip-name-lookup) to reach it, which
 * Spin, checking the IP alone, does not allow. A name may be looked up if some `tcp://`, `udp://`
 * or `*://` pattern names it. Each refusal is logged with the pattern that would allow it.
 */
export function socketGrant(allowed: readonly AllowedHost[], log: (line: string) => void): NetworkGrant {
  return {
    allows(use, address, names) {
      if (use === "tcp-bind") return false;
      const scheme = SCHEMES[use];
      const port = address.slice(address.lastIndexOf(":") + 1);
      return [address, ...names.map((name) => `${name}:${port}`)].some((target) =>
        isAllowed(allowed, new URL(`${scheme}://${target}`)),
      );
    },
    resolves(name) {
      const host = canonicalHost(name);
      return (
        host !== undefined &&
        allowed.some(
          (pattern) =>
            pattern !== "self" && ["tcp", "udp", "*"].includes(pattern.scheme) && hostMatches(pattern.host, host),
        )
      );
    },
    refused(use, target) {
      if (use === "tcp-bind")
        log(`wisp: denied a TCP listener (${target}): a component serves through its triggers, not its own sockets`);
      else if (use === "ip-name-lookup")
        log(
          `wisp: denied looking up ${target}: add "tcp://${target}:PORT" (or udp://) to allowed_outbound_hosts to allow it`,
        );
      else
        log(
          `wisp: denied ${use} to ${target}: add "${SCHEMES[use]}://${target}" to allowed_outbound_hosts to allow it`,
        );
    },
  };
}
