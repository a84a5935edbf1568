import type { Capability } from "../capability.js";
import { lazyModule } from "../lazy-module.js";
import type { HostCallHandlersFor } from "../../engine/worker/protocol.js";
import type { RedisHostCalls } from "./host-calls.js";

const clients = lazyModule(() => import("./redis-clients.js"));

/**
 * Outbound Redis: commands to the servers `allowed_outbound_hosts` allows, through one client per
 * address on main. Its host call also serves the key-value stores of type "redis".
 */
export const redis: Capability = {
  name: "redis",
  interfaces: { "fermyon:spin/redis": "fermyon:spin@2.0.0" },
  asyncInterfaces: { "spin:redis/redis": "spin:redis@3.0.0" },
  suspending: {
    "fermyon:spin/redis": [
      "[static]connection.open",
      ...["publish", "get", "set", "incr", "del", "sadd", "smembers", "srem", "execute"].map(
        (method) => `[method]connection.${method}`,
      ),
    ],
  },
  manifestKeys: [],
  guestImports: async () => (await import("./guest-imports.js")).redisImports,
  hostCalls: {
    "redis.command": async (args) => (await clients()).redisCommand(args),
  } satisfies HostCallHandlersFor<RedisHostCalls>,
  close: async () => {
    if (clients.used) await (await clients()).closeRedisClients();
  },
};
