import { WispError } from "../../errors/wisp-error.js";
import { renderWithVariables } from "../variables/template.js";
import { parseAllowedHost, type AllowedHost } from "./allowed-hosts.js";

/**
 * A component's `allowed_outbound_hosts` as it is granted: each pattern's `{{ variable }}`
 * references rendered with the app's variables (as Spin does), then parsed. A malformed pattern
 * stops the start, naming the manifest, the component and the key. Main thread, once per start.
 */
export function allowedOutboundHosts(
  patterns: readonly string[],
  appVariables: ReadonlyMap<string, string>,
  where: { manifestFile: string; componentId: string },
): AllowedHost[] {
  return patterns.map((pattern) => {
    const rendered = renderWithVariables(pattern, appVariables);
    const parsed = typeof rendered === "string" ? parseAllowedHost(rendered) : rendered;
    if (typeof parsed === "object" && "error" in parsed) {
      throw new WispError(
        "GRANT_INVALID",
        `${where.manifestFile}: component.${where.componentId}.allowed_outbound_hosts: ${parsed.error}`,
        'write hosts as "https://api.example.com", "http://localhost:8080", "https://*.example.com" or "*://example.com:*"',
      );
    }
    return parsed;
  });
}
