import { describe, expect, it } from "vitest";
import {
  parseAllowedHost,
  socketGrant,
  type AllowedHost,
} from "../../../src/capabilities/outbound-networking/index.js";

const hosts = (...patterns: string[]) => patterns.map((p) => parseAllowedHost(p) as AllowedHost);

/** A served component's wasi:sockets, granted by allowed_outbound_hosts as Spin grants them. */
describe("socketGrant", () => {
  it("allows a TCP connection by tcp://, a UDP bind, connect or datagram by udp://, never a listener", () => {
    const grant = socketGrant(hosts("tcp://127.0.0.1:6379", "udp://10.0.0.1:*", "*://[::1]:80"), () => undefined);
    expect(grant.allows("tcp-connect", "127.0.0.1:6379", [])).toBe(true);
    expect(grant.allows("tcp-connect", "127.0.0.1:6380", [])).toBe(false);
    expect(grant.allows("udp-send", "127.0.0.1:6379", [])).toBe(false);
    expect(grant.allows("udp-connect", "10.0.0.1:53", [])).toBe(true);
    expect(grant.allows("tcp-connect", "10.0.0.1:53", [])).toBe(false);
    expect(grant.allows("tcp-connect", "[0:0:0:0:0:0:0:1]:80", [])).toBe(true);
    expect(grant.allows("udp-bind", "[::1]:80", [])).toBe(true);
    expect(grant.allows("tcp-bind", "127.0.0.1:6379", [])).toBe(false);
    expect(socketGrant(hosts("*://*:*"), () => undefined).allows("tcp-bind", "0.0.0.0:0", [])).toBe(false);
  });

  it("allows an address by a name the guest looked up, and lets it look up only names it may reach", () => {
    const grant = socketGrant(hosts("tcp://db.internal:5432", "https://api.example.com"), () => undefined);
    expect(grant.allows("tcp-connect", "10.1.2.3:5432", ["db.internal"])).toBe(true);
    expect(grant.allows("tcp-connect", "10.1.2.3:5433", ["db.internal"])).toBe(false);
    expect(grant.allows("tcp-connect", "10.1.2.3:5432", ["other.internal"])).toBe(false);
    expect(grant.resolves("db.internal")).toBe(true);
    expect(grant.resolves("DB.Internal")).toBe(true);
    // An https:// grant is for wasi:http, not sockets.
    expect(grant.resolves("api.example.com")).toBe(false);
  });

  it("logs each refusal with the pattern that would allow it", () => {
    const lines: string[] = [];
    const grant = socketGrant([], (line) => lines.push(line));
    grant.refused?.("tcp-connect", "127.0.0.1:6379");
    grant.refused?.("udp-send", "[::1]:53");
    grant.refused?.("tcp-bind", "0.0.0.0:0");
    grant.refused?.("ip-name-lookup", "db.internal");
    expect(lines).toEqual([
      'wisp: denied tcp-connect to 127.0.0.1:6379: add "tcp://127.0.0.1:6379" to allowed_outbound_hosts to allow it',
      'wisp: denied udp-send to [::1]:53: add "udp://[::1]:53" to allowed_outbound_hosts to allow it',
      "wisp: denied a TCP listener (0.0.0.0:0): a component serves through its triggers, not its own sockets",
      'wisp: denied looking up db.internal: add "tcp://db.internal:PORT" (or udp://) to allowed_outbound_hosts to allow it',
    ]);
  });
});
