/**
 * The one form in which allow-list patterns and outbound targets are compared: a host name in
 * lower case, an IPv4 address in dotted decimal, an IPv6 address in brackets and compressed, as
 * the URL Standard writes an http host (`[0:0::1]` is `[::1]`, `127.1` is `127.0.0.1`).
 * Undefined for anything else (empty, percent-escapes, user info, a zone, stray punctuation): a
 * host that a driver might decode differently from the URL parser never matches a pattern.
 */
export function canonicalHost(host: string): string | undefined {
  if (!/^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])$/i.test(host)) return undefined;
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** A canonical host as a socket takes it: an IPv6 address without its brackets. */
export function socketHost(canonical: string): string {
  return canonical.startsWith("[") ? canonical.slice(1, -1) : canonical;
}
