export { redis } from "./capability.js";
export type { RedisCommandArgs, RedisValue } from "./redis-clients.js";
