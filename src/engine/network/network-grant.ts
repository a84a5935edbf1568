/** What a guest does with an address, as wasmtime's (and Spin's) socket address check names it. */
export type SocketUse = "tcp-bind" | "tcp-connect" | "udp-bind" | "udp-connect" | "udp-send";

/**
 * Where one run's sockets may go, for WASI 0.2's sockets and 0.3's alike. `address` is the socket
 * address as text (`127.0.0.1:6379`, `[::1]:80`); `names` the host names this run resolved to its
 * IP (ip-name-lookup), so a grant written with a name allows the addresses the guest looked up for it.
 */
export interface NetworkGrant {
  allows(use: SocketUse, address: string, names: readonly string[]): boolean;
  /** Whether the guest may look `name` up. */
  resolves(name: string): boolean;
  /** Told of each refusal, in words a user can act on (a served component's log). */
  refused?(use: SocketUse | "ip-name-lookup", target: string): void;
}

/** No network at all: what a run gets unless granted (wasmtime without `-S inherit-network`). */
export const NO_NETWORK: NetworkGrant = { allows: () => false, resolves: () => false };

/**
 * A command's network as wasmtime grants it: `inherit` (`-S inherit-network`) every address,
 * `lookups` (`-S allow-ip-name-lookup`) name lookups; neither by default. Each refusal is told to
 * `log` with the option that would allow it.
 */
export function commandNetwork(
  { inherit, lookups }: { inherit: boolean; lookups: boolean },
  log?: (line: string) => void,
): NetworkGrant {
  return {
    allows: () => inherit,
    resolves: () => lookups,
    refused: (use, target) =>
      log?.(
        use === "ip-name-lookup"
          ? `wisp: denied looking up ${target}: run with -S allow-ip-name-lookup to allow it`
          : `wisp: denied ${use} to ${target}: run with -S inherit-network to allow it`,
      ),
  };
}

/**
 * The host names a run looked up, by the IPs they resolved to: what lets a grant written with a
 * name (`tcp://db.internal:5432`) allow the address the guest then connects to.
 */
export class ResolvedNames {
  private readonly byIp = new Map<string, Set<string>>();

  add(name: string, ip: string): void {
    this.byIp.set(ip, (this.byIp.get(ip) ?? new Set()).add(name.toLowerCase()));
  }

  of(ip: string): string[] {
    return [...(this.byIp.get(ip) ?? [])];
  }
}
