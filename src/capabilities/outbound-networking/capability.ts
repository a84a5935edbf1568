import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import { componentKey } from "../../manifest/index.js";
import type { Capability } from "../capability.js";
import type { AllowedHost } from "./allowed-hosts.js";
import { allowedOutboundHosts } from "./allowed-outbound-hosts.js";

const KEYS = [
  componentKey({
    name: "allowed_outbound_hosts",
    schema: z.array(z.string()),
    hint: 'list where it may connect, e.g. allowed_outbound_hosts = ["https://api.example.com", "redis://localhost:6379"]',
  }),
] as const;

/**
 * Outbound networking: where a component may connect, its `allowed_outbound_hosts`. It serves no
 * interface of its own: every outbound capability (HTTP, Redis, PostgreSQL, MySQL, MQTT) checks
 * its connections' final targets against this grant (GuestInstance.allowedOutboundHosts).
 */
export const outboundNetworking: Capability<AllowedHost[], undefined, typeof KEYS> = {
  name: "outbound networking",
  interfaces: {},
  manifestKeys: KEYS,
  grant: (component, app, keys) =>
    allowedOutboundHosts(keys.allowed_outbound_hosts ?? [], app.variables?.app ?? new Map<string, string>(), {
      manifestFile: app.manifestFile,
      componentId: component.id,
    }),
  noGrant: () => [],
  guestImports: () => Promise.resolve(() => ({})),
};
