import type { HostCallHandlers } from "../engine/worker/protocol.js";
import { capabilityEntries } from "./registry.js";

/** What the main thread does for guests' host calls (outbound I/O through shared connection pools): every capability's. */
export const HOST_CALLS: HostCallHandlers = Object.assign(
  {},
  ...capabilityEntries.map(([, capability]) => capability.hostCalls ?? {}),
) as HostCallHandlers;

/** Closes the outbound clients and pools that were used (their sockets would keep the process alive). */
export async function closeOutboundClients(): Promise<void> {
  await Promise.all(capabilityEntries.flatMap(([, capability]) => (capability.close ? [capability.close()] : [])));
}
