import type { HostCallHandlers } from "../engine/worker/protocol.js";
import type { MqttPublishArgs } from "./mqtt/mqtt-clients.js";
import type { FetchArgs } from "./outbound-http/fetch-host-call.js";
import type { SqlCallArgs } from "./rdbms/postgres-pools.js";
import type { RedisCommandArgs } from "./redis/redis-clients.js";

/**
 * What the main thread does for guests' host calls (outbound I/O through shared connection
 * pools). Each driver is loaded on first use: together they cost ~150 ms at start, which an app
 * that never talks to Redis or a database should not pay.
 */
const loaded = {
  redis: () => import("./redis/redis-clients.js"),
  postgres: () => import("./rdbms/postgres-pools.js"),
  postgres4: () => import("./rdbms/postgres-v4.js"),
  mysql: () => import("./rdbms/mysql-pools.js"),
  mqtt: () => import("./mqtt/mqtt-clients.js"),
};
const used = new Set<keyof typeof loaded>();
function driver<K extends keyof typeof loaded>(name: K): ReturnType<(typeof loaded)[K]> {
  used.add(name);
  return loaded[name]() as ReturnType<(typeof loaded)[K]>;
}

export const HOST_CALLS: HostCallHandlers = {
  "http.fetch": async (args, caller) => (await import("./outbound-http/fetch-host-call.js")).fetchForGuest(args as FetchArgs, caller),
  "redis.command": async (args) => (await driver("redis")).redisCommand(args as RedisCommandArgs),
  "postgres.query": async (args) => (await driver("postgres")).postgresQuery(args as SqlCallArgs),
  "postgres.execute": async (args) => (await driver("postgres")).postgresExecute(args as SqlCallArgs),
  "postgres4.query": async (args) => (await driver("postgres4")).postgres4Query(args as SqlCallArgs),
  "postgres4.execute": async (args) => (await driver("postgres4")).postgres4Execute(args as SqlCallArgs),
  "mysql.query": async (args) => (await driver("mysql")).mysqlQuery(args as SqlCallArgs),
  "mysql.execute": async (args) => (await driver("mysql")).mysqlExecute(args as SqlCallArgs),
  "mqtt.publish": async (args) => (await driver("mqtt")).mqttPublish(args as MqttPublishArgs),
};

/** Closes the outbound clients and pools that were used (their sockets would keep the process alive). */
export async function closeOutboundClients(): Promise<void> {
  const closing: Array<Promise<void>> = [];
  if (used.has("redis")) closing.push(loaded.redis().then((m) => m.closeRedisClients()));
  // postgres4 runs on postgres-pools' pools.
  if (used.has("postgres") || used.has("postgres4")) closing.push(loaded.postgres().then((m) => m.closePostgresPools()));
  if (used.has("mysql")) closing.push(loaded.mysql().then((m) => m.closeMysqlPools()));
  if (used.has("mqtt")) closing.push(loaded.mqtt().then((m) => m.closeMqttClients()));
  await Promise.all(closing);
}
