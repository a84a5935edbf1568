import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import { componentKey } from "../../manifest/index.js";
import type { Capability } from "../capability.js";
import type { AllowedHost } from "./allowed-hosts.js";
import { httpHostsAsOutbound } from "./allowed-http-hosts.js";
import { allowedOutboundHosts } from "./allowed-outbound-hosts.js";

const KEYS = [
  componentKey({
    name: "allowed_outbound_hosts",
    schema: z.array(z.string()),
    hint: 'list where it may connect, e.g. allowed_outbound_hosts = ["https://api.example.com", "redis://localhost:6379"]',
  }),
  componentKey({
    name: "allowed_http_hosts",
    schema: z.array(z.string()),
    hint: 'Spin 1\'s key: list host names, e.g. allowed_http_hosts = ["example.com"], or use allowed_outbound_hosts',
    check(hosts) {
      const converted = httpHostsAsOutbound(hosts);
      return "error" in converted
        ? {
            at: [],
            what: converted.error,
            hint: 'write host names, host:port, or http(s) URLs without a path, e.g. ["example.com", "localhost:3000"]',
          }
        : undefined;
    },
  }),
] as const;

/**
 * Outbound networking: where a component may connect, its `allowed_outbound_hosts` (and Spin 1's
 * `allowed_http_hosts`, converted as Spin converts it, see httpHostsAsOutbound). It serves no
 * interface of its own: every outbound capability (HTTP, Redis, PostgreSQL, MySQL, MQTT) checks
 * its connections' final targets against this grant (GuestInstance.allowedOutboundHosts).
 */
export const outboundNetworking: Capability<AllowedHost[], undefined, typeof KEYS> = {
  name: "outbound networking",
  interfaces: {},
  manifestKeys: KEYS,
  grant: (component, app, keys) =>
    allowedOutboundHosts(
      [...(keys.allowed_outbound_hosts ?? []), ...(httpHostsAsOutbound(keys.allowed_http_hosts ?? []) as string[])],
      app.variables?.app ?? new Map<string, string>(),
      {
        manifestFile: app.manifestFile,
        componentId: component.id,
      },
    ),
  noGrant: () => [],
  guestImports: () => Promise.resolve(() => ({})),
};
