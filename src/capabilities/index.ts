import type { HostCallHandlers } from "../engine/worker/protocol.js";
import { spinKeyValue, type KeyValueBackend } from "./key-value/index.js";
import { mysqlExecute, mysqlQuery, postgresExecute, postgresQuery, spinMysql, spinPostgres, type SqlCallArgs } from "./rdbms/index.js";
import { mqttPublish, spinMqtt, type MqttPublishArgs } from "./mqtt/index.js";
import { redisCommand, spinRedis, type RedisCommandArgs } from "./redis/index.js";
import { spinSqlite, type SqliteBackend } from "./sqlite/index.js";
import { fetchForGuest, outgoingHandler, type FetchArgs, type OutboundContext, type OutboundHttpGrant } from "./outbound-http/index.js";
import { spinVariables } from "./variables/index.js";

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

/** Host interfaces the capabilities serve, unversioned as jco's glue names them. */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set([
  "fermyon:spin/variables", "fermyon:spin/key-value", "fermyon:spin/sqlite", "fermyon:spin/redis",
  "fermyon:spin/postgres", "fermyon:spin/mysql", "fermyon:spin/rdbms-types", "fermyon:spin/mqtt",
]);

/** The capability imports for one instance of a component with these grants. */
export function capabilityImports(grants: ComponentGrants, context: OutboundContext): Record<string, Record<string, unknown>> {
  return {
    "wasi:http/outgoing-handler": outgoingHandler(grants.outboundHttp, context),
    "fermyon:spin/variables": spinVariables(grants.variables),
    "fermyon:spin/key-value": spinKeyValue(grants.keyValue),
    "fermyon:spin/sqlite": spinSqlite(grants.sqlite),
    "fermyon:spin/redis": spinRedis(grants.outboundHttp.allowed, context.log),
    "fermyon:spin/postgres": spinPostgres(grants.outboundHttp.allowed, context.log),
    "fermyon:spin/mysql": spinMysql(grants.outboundHttp.allowed, context.log),
    "fermyon:spin/mqtt": spinMqtt(grants.outboundHttp.allowed, context.log),
    // Types only; present in case a glue asks for the interface by name.
    "fermyon:spin/rdbms-types": {},
  };
}

/** What the main thread does for guests' host calls (outbound I/O through shared connection pools). */
export const HOST_CALLS: HostCallHandlers = {
  "http.fetch": (args) => fetchForGuest(args as FetchArgs),
  "redis.command": (args) => redisCommand(args as RedisCommandArgs),
  "postgres.query": (args) => postgresQuery(args as SqlCallArgs),
  "postgres.execute": (args) => postgresExecute(args as SqlCallArgs),
  "mysql.query": (args) => mysqlQuery(args as SqlCallArgs),
  "mysql.execute": (args) => mysqlExecute(args as SqlCallArgs),
  "mqtt.publish": (args) => mqttPublish(args as MqttPublishArgs),
};
