import type { GuestImportsBuilder } from "../capability.js";
import { spinRedis, spinRedisAsync } from "./spin-redis.js";

/** Worker: Spin's outbound Redis, to the addresses the component's `allowed_outbound_hosts` allows. */
export const redisImports: GuestImportsBuilder<undefined> = (_grant, instance) => ({
  "fermyon:spin/redis": spinRedis(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
  "spin:redis/redis": spinRedisAsync(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
});
