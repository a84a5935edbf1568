import type { HostCallHandlers } from "../engine/worker/protocol.js";
import { spinKeyValue, wasiKeyValue, type KeyValueBackend } from "./key-value/index.js";
import { spinMqtt } from "./mqtt/spin-mqtt.js";
import type { MqttPublishArgs } from "./mqtt/mqtt-clients.js";
import { outgoingHandler, type OutboundContext, type OutboundHttpGrant } from "./outbound-http/outgoing-handler.js";
import type { FetchArgs } from "./outbound-http/fetch-host-call.js";
import type { SqlCallArgs } from "./rdbms/postgres-pools.js";
import { spinMysql, spinPostgres, spinPostgres3, spinPostgres4 } from "./rdbms/spin-rdbms.js";
import type { RedisCommandArgs } from "./redis/redis-clients.js";
import { spinRedis } from "./redis/spin-redis.js";
import { spinSqlite, type SqliteBackend } from "./sqlite/index.js";
import { spinVariables, wasiConfig } from "./variables/index.js";

/** What a component is granted, as the worker needs it (structured-cloneable). */
export interface ComponentGrants {
  variables: Array<[string, string]>;
  /** The key-value stores its `key_value_stores` names, with where each one lives. */
  keyValue: Array<[string, KeyValueBackend]>;
  /** The SQLite databases its `sqlite_databases` names, with their files. */
  sqlite: Array<[string, SqliteBackend]>;
  /** Its `allowed_outbound_hosts`, parsed, and the limits on outbound requests. */
  outboundHttp: OutboundHttpGrant;
}

/**
 * Host interfaces the capabilities serve, as jco's glue names them: unversioned, but for an
 * interface served in more than one version, whose versions differ (a name with `@` here makes
 * the glue ask for that version by its own name; see prepare-component). The versions:
 * fermyon:spin@2.0.0 (Spin's JavaScript, Rust 3.x and Go SDKs), and what Spin 3 adds:
 * spin:sqlite@3.0.0, spin:postgres@3.0.0 and @4.0.0, wasi:keyvalue@0.2.0-draft2,
 * wasi:config@0.2.0-draft-2024-09-27.
 */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set([
  "fermyon:spin/variables", "fermyon:spin/key-value", "fermyon:spin/sqlite", "fermyon:spin/redis",
  "fermyon:spin/postgres", "fermyon:spin/mysql", "fermyon:spin/rdbms-types", "fermyon:spin/mqtt",
  "spin:sqlite/sqlite", "spin:postgres/postgres@3.0.0", "spin:postgres/postgres@4.0.0",
  "wasi:keyvalue/store", "wasi:keyvalue/atomics", "wasi:keyvalue/batch", "wasi:config/store",
]);

/**
 * The capability imports for a component with these grants. They hold no per-request state:
 * build them once per component and point `context` at the request being served.
 */
export function capabilityImports(grants: ComponentGrants, context: OutboundContext): Record<string, Record<string, unknown>> {
  // Read at each call: the context may change between requests while these imports are reused.
  const log = (line: string) => context.log(line);
  const sqlite = spinSqlite(grants.sqlite);
  const keyValue = wasiKeyValue(grants.keyValue);
  return {
    "wasi:http/outgoing-handler": outgoingHandler(grants.outboundHttp, context),
    "fermyon:spin/variables": spinVariables(grants.variables),
    "fermyon:spin/key-value": spinKeyValue(grants.keyValue),
    "fermyon:spin/sqlite": sqlite,
    "spin:sqlite/sqlite": sqlite,
    "fermyon:spin/redis": spinRedis(grants.outboundHttp.allowed, log),
    "fermyon:spin/postgres": spinPostgres(grants.outboundHttp.allowed, log),
    "spin:postgres/postgres@3.0.0": spinPostgres3(grants.outboundHttp.allowed, log),
    "spin:postgres/postgres@4.0.0": spinPostgres4(grants.outboundHttp.allowed, log),
    "fermyon:spin/mysql": spinMysql(grants.outboundHttp.allowed, log),
    "fermyon:spin/mqtt": spinMqtt(grants.outboundHttp.allowed, log),
    "wasi:keyvalue/store": keyValue.store,
    "wasi:keyvalue/atomics": keyValue.atomics,
    "wasi:keyvalue/batch": keyValue.batch,
    "wasi:config/store": wasiConfig(grants.variables),
    // Types only; present in case a glue asks for the interface by name.
    "fermyon:spin/rdbms-types": {},
  };
}

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
  "http.fetch": async (args) => (await import("./outbound-http/fetch-host-call.js")).fetchForGuest(args as FetchArgs),
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
