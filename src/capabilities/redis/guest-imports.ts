import type { GuestImportsBuilder } from "../capability.js";
import { spinRedis } from "./spin-redis.js";

/** Worker: Spin's outbound Redis, to the addresses the component's `allowed_outbound_hosts` allows. */
export const redisImports: GuestImportsBuilder<undefined> = (_grant, instance) => ({
  "fermyon:spin/redis": spinRedis(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
});
