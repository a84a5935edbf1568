import { createServer, type Server } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchForGuest } from "../../../src/capabilities/outbound-http/fetch-host-call.js";
import {
  checkOutboundAddress,
  parseAllowedHost,
  parseOutboundAddress,
  type AddressKind,
  type AllowedHost,
} from "../../../src/capabilities/outbound-networking/index.js";

const POSTGRES: AddressKind = {
  name: "a PostgreSQL connection",
  defaultPorts: { "postgres:": "5432" },
  params: ["sslmode"],
};
const MQTT: AddressKind = { name: "an MQTT connection", defaultPorts: { "mqtt:": "1883" } };

function check(address: string, kind: AddressKind, patterns: string[]) {
  const lines: string[] = [];
  const result = checkOutboundAddress(
    address,
    kind,
    patterns.map((p) => parseAllowedHost(p) as AllowedHost),
    (l) => lines.push(l),
  );
  return { result, lines };
}

describe("outbound addresses (Redis, PostgreSQL, MySQL, MQTT): the address checked is the address connected to", () => {
  it("hands back a normalised address: canonical host, explicit port, no fragment", () => {
    expect(check("postgres://u:p@DB.example/app#x", POSTGRES, ["postgres://db.example:5432"]).result).toEqual({
      ok: true,
      address: "postgres://u:p@db.example:5432/app",
    });
    expect(check("postgres://[0::1]/app?sslmode=require", POSTGRES, ["postgres://[::1]:5432"]).result).toEqual({
      ok: true,
      address: "postgres://[::1]:5432/app?sslmode=require",
    });
  });

  it.each([
    ["postgres://db.example:5432/app?host=evil.example", "host"],
    ["postgres://db.example:5432/app?port=1", "port"],
    ["postgres://db.example:5432/app?sslrootcert=/etc/passwd", "sslrootcert"],
  ])("refuses %s: the driver would read %s from the query", (address, param) => {
    const { result, lines } = check(address, POSTGRES, ["postgres://db.example:5432"]);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(lines[0]).toContain(`"${param}"`);
  });

  it.each([
    "postgres://db%2eexample:5432/",
    "postgres://:5432/app",
    "postgres:///app",
    "postgres://db.example%00.evil:5432/",
  ])("refuses %s: not a plain host", (address) => {
    expect(check(address, POSTGRES, ["postgres://*:*"]).result).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("reads the authority as the URL Standard does, and hands the driver that host: mqtt://a\\@b is b", () => {
    const parsed = parseOutboundAddress("mqtt://127.0.0.1:9\\@allowed.example:1883", MQTT);
    expect(parsed).toMatchObject({ host: "allowed.example", port: 1883 });
    expect(check("mqtt://127.0.0.1:9\\@allowed.example:1883", MQTT, ["mqtt://127.0.0.1:9"]).result).toMatchObject({
      ok: false,
      reason: "denied",
    });
  });

  it("advises a pattern that would allow the denied address, IPv6 included", () => {
    const { result, lines } = check("mqtt://[::1]", MQTT, ["mqtt://[::2]:1883"]);
    expect(result).toMatchObject({ ok: false, reason: "denied" });
    expect(lines).toEqual([
      'wisp: denied an MQTT connection to [::1]:1883: add "mqtt://[::1]:1883" to allowed_outbound_hosts to allow it',
    ]);
    expect(check("mqtt://[::1]", MQTT, ["mqtt://[::1]:1883"]).result).toMatchObject({ ok: true });
  });

  it("property: an allowed address, read again, names exactly the pattern's host and port", () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((a) => `[${a}]`),
    );
    const junk = fc.constantFrom(
      "",
      "\\@evil.example",
      "@evil.example",
      "/x?host=evil.example",
      "#@evil.example",
      "/%2f/evil",
    );
    fc.assert(
      fc.property(
        host,
        fc.integer({ min: 1, max: 65535 }),
        fc.oneof(fc.constant(""), fc.string()),
        junk,
        (h, port, user, tail) => {
          const address = `postgres://${encodeURIComponent(user)}@${h}:${port}${tail}`;
          const { result } = check(address, POSTGRES, [`postgres://${h}:${port}`]);
          if (!result.ok) return;
          const again = parseOutboundAddress(result.address, POSTGRES);
          expect(again).toMatchObject({ port });
          expect((again as { url: URL }).url.hostname).toBe(new URL(`http://${h}`).hostname);
          expect(result.address).toBe((again as { url: URL }).url.href);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("fetchForGuest does not follow redirects: the guest gets them, and each hop is checked again", () => {
  let elsewhere: Server;
  let redirector: Server;
  let hits = 0;
  const port = (s: Server) => (s.address() as { port: number }).port;
  beforeAll(async () => {
    elsewhere = createServer((_, res) => void (hits++, res.end("elsewhere")));
    redirector = createServer((_, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${port(elsewhere)}/` }).end(),
    );
    await Promise.all([elsewhere, redirector].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
  });
  afterAll(() => {
    elsewhere.close();
    redirector.close();
  });

  it("answers the 302 with its location, and never reaches the location", async () => {
    const outcome = await fetchForGuest({
      method: "GET",
      url: `http://127.0.0.1:${port(redirector)}/`,
      headers: [],
      timeoutMs: 5_000,
      maxResponseBytes: 1_000,
    });
    expect(outcome).toMatchObject({ ok: true, status: 302 });
    expect((outcome as { headers: Array<[string, string]> }).headers).toContainEqual([
      "location",
      `http://127.0.0.1:${port(elsewhere)}/`,
    ]);
    expect(hits).toBe(0);
  });
});
