import type { GuestImportsBuilder } from "../capability.js";
import { spinRedis, spinRedisAsync } from "./spin-redis.js";

/**
 * Worker: Spin's outbound Redis, to the addresses the component's `allowed_outbound_hosts` allows.
 * A suspending 0.2 guest gets 2.0's connection with its calls awaited: Spin 4's, the same shapes.
 */
export const redisImports: GuestImportsBuilder<undefined> = (_grant, instance) => ({
  "fermyon:spin/redis": (instance.suspends ? spinRedisAsync : spinRedis)(instance.allowedOutboundHosts, (line) =>
    instance.request.log(line),
  ),
  "spin:redis/redis": spinRedisAsync(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
});
