import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isAllowed,
  parseAllowedHost,
  patternFor,
  type AllowedHost,
} from "../../../src/capabilities/outbound-networking/index.js";

function allowedBy(pattern: string, url: string): boolean {
  const parsed = parseAllowedHost(pattern);
  if (typeof parsed === "object" && "error" in parsed) throw new Error(parsed.error);
  return isAllowed([parsed], new URL(url));
}

describe("allowed_outbound_hosts", () => {
  it.each([
    ["https://api.example.com", "https://api.example.com/v1", true],
    ["https://api.example.com", "https://api.example.com:443/", true],
    ["https://api.example.com", "https://api.example.com:8443/", false],
    ["https://api.example.com", "http://api.example.com/", false],
    ["https://api.example.com", "https://evil.example.com/", false],
    ["http://localhost:3000", "http://localhost:3000/x", true],
    ["http://localhost:3000", "http://localhost:3001/x", false],
    ["https://*.example.com", "https://a.example.com/", true],
    ["https://*.example.com", "https://a.b.example.com/", true],
    ["https://*.example.com", "https://example.com/", false],
    ["https://*.example.com", "https://notexample.com/", false],
    ["*://example.com:*", "http://example.com:8080/", true],
    ["*://example.com:*", "https://example.com/", true],
    ["https://example.com:*", "https://example.com:9999/", true],
    ["*://*:*", "http://anything:1/", true],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/", true],
  ])("%s allows %s: %s", (pattern, url, expected) => {
    expect(allowedBy(pattern, url)).toBe(expected);
  });

  it("reads self and refuses malformed patterns", () => {
    expect(parseAllowedHost("self")).toBe("self");
    expect(parseAllowedHost("http://self")).toBe("self");
    expect(parseAllowedHost("example.com")).toHaveProperty("error");
    expect(parseAllowedHost("https://exa mple.com")).toHaveProperty("error");
    expect(parseAllowedHost("https://example.com:port")).toHaveProperty("error");
    expect(parseAllowedHost("redis://cache")).toHaveProperty("error");
    expect(parseAllowedHost("redis://cache:6379")).toEqual({ scheme: "redis", host: "cache", port: "6379" });
  });
});

describe("allowed_outbound_hosts with IP literals", () => {
  it.each([
    ["http://[::1]:8080", "http://[::1]:8080/x", true],
    ["http://[::1]:8080", "http://[0:0:0:0:0:0:0:1]:8080/", true],
    ["http://[0::1]:8080", "http://[::1]:8080/", true],
    ["http://[::1]:8080", "http://[::1]:8081/", false],
    ["http://[::1]:8080", "http://[::2]:8080/", false],
    ["http://[::1]:8080", "http://127.0.0.1:8080/", false],
    ["https://[2001:DB8::1]", "https://[2001:db8::1]/", true],
    ["redis://[::1]:6379", "redis://[::1]:6379", true],
    ["*://*:*", "http://[::1]:1/", true],
    ["http://127.1:80", "http://127.0.0.1/", true],
  ])("%s allows %s: %s", (pattern, url, expected) => {
    expect(allowedBy(pattern, url)).toBe(expected);
  });

  it("keeps an IPv6 pattern in canonical form and refuses one that is not an address", () => {
    expect(parseAllowedHost("http://[0:0::1]:80")).toEqual({ scheme: "http", host: "[::1]", port: "80" });
    expect(parseAllowedHost("http://[::1::2]:80")).toHaveProperty("error");
    expect(parseAllowedHost("http://[::1]:99999")).toHaveProperty("error");
  });

  it("advises a pattern that allows the URL denied, IPv6 included", () => {
    expect(patternFor(new URL("http://[::1]:8080/x"))).toBe("http://[::1]:8080");
    expect(patternFor(new URL("https://Example.com/x"))).toBe("https://example.com");
    expect(patternFor(new URL("redis://[::1]:6379"))).toBe("redis://[::1]:6379");
  });
});

// Property-based: the matcher against URLs the URL Standard builds from arbitrary parts.
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
// A name the URL Standard keeps as a name: one whose last label reads as a number ("12", "0x")
// is taken for an IPv4 address, and refused when it is none.
const dnsName = fc
  .array(label, { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join("."))
  .filter((name) => {
    try {
      return new URL(`http://${name}`).hostname === name;
    } catch {
      return false;
    }
  });
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6().map((address) => `[${address}]`);
const host = fc.oneof(dnsName, ipv4, ipv6);
const port = fc.integer({ min: 1, max: 65535 });
const scheme = fc.constantFrom("http", "https");
// Whatever a guest may put after the authority, including what parsers read as another authority.
const tail = fc.oneof(
  fc.string(),
  fc.webPath(),
  fc.constantFrom(
    "//evil.example:1/x",
    "/\\evil.example/x",
    "@evil.example/",
    ":1/",
    "\\\\evil.example",
    "/%2f%2fevil.example",
    "?@evil.example",
    "#@evil.example",
  ),
);

function url(s: string, h: string, p: number, rest = "/"): URL | undefined {
  try {
    return new URL(`${s}://${h}:${p}${rest.startsWith("/") ? rest : `/${rest}`}`);
  } catch {
    return undefined;
  }
}

describe("allowed_outbound_hosts, property-based", () => {
  it("a URL a literal pattern allows has exactly the pattern's scheme, host and port", () => {
    // Targets near the pattern (same parts, or one changed) followed by hostile tails, read raw.
    const case_ = fc.tuple(scheme, host, port).chain(([ps, ph, pp]) =>
      fc.record({
        pattern: fc.constant({ ps, ph, pp }),
        us: fc.oneof(fc.constant(ps), scheme),
        uh: fc.oneof(fc.constant(ph), host, fc.constant(`${ph}.evil.example`), fc.constant(`evil.example@${ph}`)),
        up: fc.oneof(fc.constant(pp), port),
        rest: tail,
      }),
    );
    fc.assert(
      fc.property(case_, ({ pattern: { ps, ph, pp }, us, uh, up, rest }) => {
        const pattern = parseAllowedHost(`${ps}://${ph}:${pp}`) as AllowedHost;
        let target: URL;
        try {
          target = new URL(`${us}://${uh}:${up}${rest}`);
        } catch {
          return;
        }
        if (!isAllowed([pattern], target)) return;
        expect(target.protocol).toBe(`${ps}:`);
        expect(target.hostname).toBe(new URL(`http://${ph}`).hostname);
        expect(Number(target.port || (ps === "https" ? 443 : 80))).toBe(pp);
      }),
      { numRuns: 3000 },
    );
  });

  it("a literal pattern allows its own scheme, host and port with any path", () => {
    fc.assert(
      fc.property(scheme, host, port, fc.webPath(), (s, h, p, path) => {
        const pattern = parseAllowedHost(`${s}://${h}:${p}`);
        expect(pattern).not.toHaveProperty("error");
        expect(isAllowed([pattern as AllowedHost], url(s, h, p, path)!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("the advice after a denial is a pattern that parses and allows the URL denied", () => {
    fc.assert(
      fc.property(scheme, host, port, fc.webPath(), (s, h, p, path) => {
        const target = url(s, h, p, path)!;
        const advice = patternFor(target)!;
        const pattern = parseAllowedHost(advice);
        expect(pattern, advice).not.toHaveProperty("error");
        expect(isAllowed([pattern as AllowedHost], target), advice).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("a wildcard host pattern never allows a host outside its domain", () => {
    const case_ = dnsName.chain((domain) =>
      fc.record({
        domain: fc.constant(domain),
        other: fc.oneof(
          host,
          label.map((l) => `${l}.${domain}`),
          label.map((l) => `${l}${domain}`),
          fc.constant(domain),
          fc.constant(`${domain}.evil.example`),
        ),
        rest: tail,
      }),
    );
    fc.assert(
      fc.property(case_, ({ domain, other, rest }) => {
        const pattern = parseAllowedHost(`http://*.${domain}:8080`) as AllowedHost;
        let target: URL;
        try {
          target = new URL(`http://${other}:8080${rest}`);
        } catch {
          return;
        }
        if (!isAllowed([pattern], target)) return;
        expect(target.hostname.endsWith(`.${domain}`)).toBe(true);
        expect(target.port).toBe("8080");
      }),
      { numRuns: 2000 },
    );
  });

  it("self allows nothing by URL: it is a grant for the app's own origin only", () => {
    fc.assert(
      fc.property(scheme, host, port, (s, h, p) => {
        expect(isAllowed(["self"], url(s, h, p)!)).toBe(false);
      }),
    );
  });
});
