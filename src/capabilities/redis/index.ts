export { redis } from "./capability.js";
export type { RedisCommandArgs, RedisHostCalls, RedisValue } from "./host-calls.js";
