import { canonicalHost } from "./host-name.js";

/**
 * `allowed_outbound_hosts` patterns, as Spin writes them: `scheme://host[:port]`, where the scheme,
 * the host (or a leading `*.` label) and the port may be `*`, and `self` stands for the app itself
 * (a request without an authority). Without a port, a pattern allows the scheme's default port.
 * A literal host is kept in canonical form (see canonicalHost), so `[::1]` matches `[0::1]`.
 */
export type AllowedHost = "self" | { scheme: string; host: string; port: string };

const DEFAULT_PORTS: Record<string, string> = { http: "80", https: "443" };

/** Parses one pattern, or says what is wrong with it. */
export function parseAllowedHost(pattern: string): AllowedHost | { error: string } {
  const trimmed = pattern.trim();
  if (trimmed === "self" || /^[a-z*]+:\/\/self$/.test(trimmed)) return "self";
  const match =
    /^([a-z][a-z0-9+.-]*|\*):\/\/(\*|\*\.[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])(?::(\*|\d{1,5}))?\/?$/i.exec(
      trimmed,
    );
  if (!match) return { error: `"${pattern}" is not scheme://host[:port] (use * for any scheme, host label or port)` };
  const scheme = match[1]!.toLowerCase();
  const port = match[3] ?? DEFAULT_PORTS[scheme] ?? (scheme === "*" ? "default" : "");
  if (port === "") return { error: `"${pattern}" needs a port: ${scheme} has no default` };
  if (port !== "*" && port !== "default" && Number(port) > 65535)
    return { error: `"${pattern}": port ${port} is out of range` };
  const host = match[2]!.startsWith("*") ? match[2]!.toLowerCase() : canonicalHost(match[2]!);
  if (host === undefined) return { error: `"${pattern}": ${match[2]} is not a host name or IP address` };
  return { scheme, host, port };
}

/** Whether `url` (absolute) is allowed by any of `allowed`. A host not in canonical syntax never is. */
export function isAllowed(allowed: readonly AllowedHost[], url: URL): boolean {
  const scheme = url.protocol.replace(/:$/, "");
  const host = canonicalHost(url.hostname);
  if (host === undefined) return false;
  const port = url.port || DEFAULT_PORTS[scheme] || "";
  return allowed.some((pattern) => {
    if (pattern === "self") return false;
    if (pattern.scheme !== "*" && pattern.scheme !== scheme) return false;
    if (pattern.port === "default" ? port !== DEFAULT_PORTS[scheme] : pattern.port !== "*" && pattern.port !== port)
      return false;
    return hostMatches(pattern.host, host);
  });
}

/** Whether a pattern's host (`*`, `*.example.com`, or one host in canonical form) covers `host` (canonical). */
export function hostMatches(patternHost: string, host: string): boolean {
  if (patternHost === "*") return true;
  if (patternHost.startsWith("*.")) return host.endsWith(patternHost.slice(1));
  return patternHost === host;
}

/**
 * The pattern that allows `url` (scheme, host and port, the port left out when it is the
 * scheme's default), for a denial's advice: parseAllowedHost reads it back and isAllowed
 * then allows `url`. Undefined when no pattern can (a host not in canonical syntax).
 */
export function patternFor(url: URL): string | undefined {
  const scheme = url.protocol.replace(/:$/, "");
  const host = canonicalHost(url.hostname);
  if (host === undefined) return undefined;
  const port = url.port && url.port !== DEFAULT_PORTS[scheme] ? `:${url.port}` : "";
  return `${scheme}://${host}${port}`;
}
