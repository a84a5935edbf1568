import { socketGrant, type ComponentGrants } from "../../../../capabilities/index.js";
import type { NetworkGrant } from "../../../../engine/network/index.js";

/**
 * Where a wasi:http 0.2 component's sockets (wasi:sockets 0.2) may go: as its
 * `allowed_outbound_hosts` grant them (`tcp://`, `udp://`, see socketGrant), when its glue
 * suspends; a component granted some and still on synchronous glue (see suspendingGlue: Spin
 * 1.4's unversioned interfaces keep it there) could only wait on one by holding its thread
 * forever, so its sockets reach nothing, and the log says why.
 */
export function socketReach(grants: ComponentGrants, suspends: boolean, log: (line: string) => void): NetworkGrant {
  const allowed = grants.allowedOutboundHosts;
  if (suspends || allowed.length === 0) return socketGrant(allowed, log);
  return {
    allows: () => false,
    resolves: () => false,
    refused: (use, target) =>
      log(
        `wisp: denied ${use} ${target}: this component's imports keep it on glue that cannot wait for a socket ` +
          "(Spin 1.4's unversioned interfaces); build it against fermyon:spin@2.0.0 or later to use wasi:sockets",
      ),
  };
}
