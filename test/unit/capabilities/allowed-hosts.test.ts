import { describe, expect, it } from "vitest";
import { isAllowed, parseAllowedHost } from "../../../src/capabilities/outbound-http/index.js";

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
