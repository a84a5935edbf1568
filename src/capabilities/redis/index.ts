export { closeRedisClients, redisCommand, type RedisCommandArgs, type RedisValue } from "./redis-clients.js";
export { runRedis, spinRedis } from "./spin-redis.js";
