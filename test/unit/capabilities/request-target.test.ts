import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { Fields } from "../../../src/engine/wasi-p2/http-fields.js";
import { OutgoingRequest } from "../../../src/engine/wasi-p2/index.js";
import { outgoingHandler } from "../../../src/capabilities/outbound-http/outgoing-handler.js";
import { reachesSelf, requestTarget } from "../../../src/capabilities/outbound-http/request-target.js";
import { parseAllowedHost, type AllowedHost } from "../../../src/capabilities/outbound-networking/index.js";

// The handler's host call is where a request leaves: record what it is asked to send.
const sent = vi.hoisted(() => [] as Array<{ url: string }>);
vi.mock("../../../src/engine/worker/host-call.js", () => ({
  hostCallsOf: () => (_: string, args: { url: string }) => {
    sent.push(args);
    return { ok: true, status: 200, headers: [], body: new Uint8Array() };
  },
  // A suspending guest's calls (see GuestInstance.suspends): the same, answered a turn later.
  asyncHostCallsOf: () => async (_: string, args: { url: string }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    sent.push(args);
    return { ok: true, status: 201, headers: [], body: new Uint8Array() };
  },
}));

const SELF = "http://127.0.0.1:3000";
const HTTP = { tag: "HTTP" } as const;

describe("requestTarget: the URL an outgoing request goes to", () => {
  it.each([
    ["self.alt", "//127.0.0.1:9/x", "http://127.0.0.1:3000//127.0.0.1:9/x"],
    ["self.alt", "/\\127.0.0.1:9/x", "http://127.0.0.1:3000//127.0.0.1:9/x"],
    [undefined, "//evil.example/x", "http://127.0.0.1:3000//evil.example/x"],
    ["self.alt", "/pong?a=b", "http://127.0.0.1:3000/pong?a=b"],
    ["self.alt", undefined, "http://127.0.0.1:3000/"],
    ["api.example.com", "//evil.example/x", "http://api.example.com//evil.example/x"],
    ["[::1]:8080", "/x", "http://[::1]:8080/x"],
  ])("authority %s, path %s: %s", (authority, path, expected) => {
    const target = requestTarget(HTTP, authority, path, SELF);
    expect(target).toMatchObject({ self: authority === undefined || authority === "self.alt" });
    expect((target as { url: URL }).url.href).toBe(expected);
  });

  it.each([
    ["self.alt", "@evil.example/x"],
    ["self.alt", ":9/x"],
    ["self.alt", ".evil.example/"],
    ["allowed.example@evil.example", "/"],
    ["allowed.example/x", "/"],
    ["allowed.example?x", "/"],
    ["allowed.example:99999", "/"],
  ])("refuses authority %s with path %s as an invalid URI", (authority, path) => {
    expect(requestTarget(HTTP, authority, path, SELF)).toBe("HTTP-request-URI-invalid");
  });

  it("refuses schemes other than http and https", () => {
    expect(requestTarget({ tag: "other", val: "file" }, "x", "/etc/passwd", SELF)).toBe("HTTP-protocol-error");
  });

  it("property: no path a guest writes takes a self request off the app's origin", () => {
    const path = fc.oneof(
      fc.string(),
      fc.webPath(),
      fc.string().map((s) => `/${s}`),
      fc.string().map((s) => `//${s}`),
      fc.string().map((s) => `/\\${s}`),
    );
    fc.assert(
      fc.property(fc.constantFrom("self.alt", undefined, "SELF.ALT:80"), path, (authority, p) => {
        const target = requestTarget(HTTP, authority, p, SELF);
        if (typeof target === "string") return;
        expect(target.self).toBe(true);
        expect(target.url.origin).toBe(SELF);
      }),
      { numRuns: 5000 },
    );
  });

  it("property: no path a guest writes changes the origin of a request to a named authority", () => {
    fc.assert(
      fc.property(
        fc.domain(),
        fc.integer({ min: 1, max: 65535 }),
        fc.oneof(
          fc.string(),
          fc.webPath(),
          fc.string().map((s) => `//${s}`),
        ),
        (domain, port, p) => {
          const target = requestTarget(HTTP, `${domain}:${port}`, p, SELF);
          if (typeof target === "string") return;
          expect(target.url.origin).toBe(new URL(`http://${domain}:${port}`).origin);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

function request(authority: string | undefined, path: string): OutgoingRequest {
  const r = new OutgoingRequest(new Fields());
  r.setScheme(HTTP);
  r.setAuthority(authority);
  r.setPathWithQuery(path);
  return r;
}

function handler(patterns: string[]) {
  const lines: string[] = [];
  const allowed = patterns.map((p) => parseAllowedHost(p) as AllowedHost);
  const h = outgoingHandler({ componentId: "c", timeoutMs: 1_000, maxResponseBytes: 1_000 }, allowed, {
    selfOrigin: SELF,
    log: (l) => lines.push(l),
  });
  const send = (authority: string | undefined, path: string) => {
    sent.length = 0;
    try {
      h.handle(request(authority, path), undefined).get();
      return sent[0]?.url;
    } catch (error) {
      return error as { tag: string };
    }
  };
  return { send, lines };
}

describe("outgoing handler: the grant is checked on the URL sent", () => {
  it("for a suspending guest, checks the same before anything leaves, then awaits the answer", async () => {
    const allowed = [parseAllowedHost("http://api.example.com") as AllowedHost];
    const h = outgoingHandler(
      { componentId: "c", timeoutMs: 1_000, maxResponseBytes: 1_000 },
      allowed,
      { selfOrigin: SELF, log: () => {} },
      true,
    );
    expect(() => h.handle(request("evil.example", "/x"), undefined)).toThrow(
      expect.objectContaining({ tag: "HTTP-request-denied" }),
    );
    sent.length = 0;
    const future = h.handle(request("api.example.com", "/x"), undefined);
    expect(future.get()).toBeUndefined();
    await future.subscribe().block();
    expect(sent.map((s) => s.url)).toEqual(["http://api.example.com/x"]);
    const got = future.get() as { tag: "ok"; val: { tag: "ok"; val: { status(): number } } };
    expect(got.val.val.status()).toBe(201);
  });

  it("a component granted only self sends // and /\\ paths to the app itself", () => {
    const { send } = handler(["self"]);
    expect(send("self.alt", "//127.0.0.1:9/x")).toBe("http://127.0.0.1:3000//127.0.0.1:9/x");
    expect(send("self.alt", "/\\127.0.0.1:9/x")).toBe("http://127.0.0.1:3000//127.0.0.1:9/x");
    expect(send("127.0.0.1:9", "/x")).toEqual({ tag: "HTTP-request-denied" });
  });

  it("an IPv6 pattern allows its address, and a denial advises a pattern that would allow it", () => {
    const { send, lines } = handler(["http://[::1]:8080"]);
    expect(send("[::1]:8080", "/x")).toBe("http://[::1]:8080/x");
    expect(send("[0::1]:8080", "/x")).toBe("http://[::1]:8080/x");
    expect(send("[::1]:8081", "/x")).toEqual({ tag: "HTTP-request-denied" });
    expect(lines).toEqual([
      'wisp: denied an outbound request to http://[::1]:8081: add "http://[::1]:8081" to allowed_outbound_hosts of [component.c] to allow it',
    ]);
  });

  it("a named authority's path cannot reach another host", () => {
    const { send } = handler(["http://api.example.com"]);
    expect(send("api.example.com", "//evil.example/x")).toBe("http://api.example.com//evil.example/x");
  });
});

describe("reachesSelf", () => {
  const target = (authority: string | undefined) => {
    const found = requestTarget({ tag: "HTTP" }, authority, "/x", "http://127.0.0.1:3000");
    if (typeof found === "string") throw new Error(found);
    return found;
  };

  it("a request addressed as self, or to the app's own origin by name, reaches the app", () => {
    expect(reachesSelf(target(undefined), "http://127.0.0.1:3000")).toBe(true);
    expect(reachesSelf(target("self.alt"), "http://127.0.0.1:3000")).toBe(true);
    expect(reachesSelf(target("127.0.0.1:3000"), "http://127.0.0.1:3000")).toBe(true);
  });

  it("another origin, or no known origin of the app, does not", () => {
    expect(reachesSelf(target("127.0.0.1:3001"), "http://127.0.0.1:3000")).toBe(false);
    expect(reachesSelf(target("example.com"), "http://127.0.0.1:3000")).toBe(false);
    expect(reachesSelf(target("127.0.0.1:3000"), undefined)).toBe(false);
    expect(reachesSelf(target("127.0.0.1:3000"), "not a url")).toBe(false);
  });
});
