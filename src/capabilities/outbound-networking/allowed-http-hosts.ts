/**
 * Spin 1's `allowed_http_hosts` as `allowed_outbound_hosts` patterns, converted as Spin converts
 * them (its manifest crate, compat): each host (`example.com`, `host:port`, or an http(s) URL
 * without a path) over both http and https, `self` as itself, and `insecure:allow-all` as any
 * http(s) host. Spin still reads the key, in version 2 manifests too (with a warning), and so does
 * Wisp; the database access version 1 also allowed is the version 1 conversion's (v1-manifest.ts).
 */
export function httpHostsAsOutbound(hosts: readonly string[]): string[] | { error: string } {
  if (hosts.includes("insecure:allow-all")) return ["http://*:*", "https://*:*", "http://self"];
  const patterns: string[] = [];
  for (const text of hosts) {
    let url: URL;
    try {
      url = new URL(text.includes("//") ? text : `http://${text}`);
    } catch {
      return { error: `has ${JSON.stringify(text)}, which is not a host or host:port` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return { error: `has ${JSON.stringify(text)}, which is not an http or https host` };
    if (url.pathname.length > 1 || url.search || url.hash)
      return { error: `has ${JSON.stringify(text)}, which has a path: give the host and port only` };
    if (url.hostname === "self") patterns.push("http://self");
    else patterns.push(`http://${url.host}`, `https://${url.host}`);
  }
  return patterns;
}
