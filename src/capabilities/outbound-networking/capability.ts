import type { Capability } from "../capability.js";
import type { AllowedHost } from "./allowed-hosts.js";
import { allowedOutboundHosts } from "./allowed-outbound-hosts.js";

/**
 * Outbound networking: where a component may connect, its `allowed_outbound_hosts`. It serves no
 * interface of its own: every outbound capability (HTTP, Redis, PostgreSQL, MySQL, MQTT) checks
 * its connections' final targets against this grant (GuestInstance.allowedOutboundHosts).
 */
export const outboundNetworking: Capability<AllowedHost[]> = {
  name: "outbound networking",
  interfaces: {},
  manifestKeys: ["allowed_outbound_hosts"],
  grant: (component, app) =>
    allowedOutboundHosts(component.allowedOutboundHosts, app.variables?.app ?? new Map<string, string>(), {
      manifestFile: app.manifestFile,
      componentId: component.id,
    }),
  noGrant: () => [],
  guestImports: () => Promise.resolve(() => ({})),
};
