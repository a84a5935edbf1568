import { spinKeyValue, wasiKeyValue, type KeyValueBackend } from "./key-value/index.js";
import { spinMqtt } from "./mqtt/spin-mqtt.js";
import { outgoingHandler, type OutboundContext, type OutboundHttpGrant } from "./outbound-http/outgoing-handler.js";
import type { AllowedHost } from "./outbound-networking/index.js";
import { spinMysql, spinPostgres, spinPostgres3, spinPostgres4 } from "./rdbms/spin-rdbms.js";
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
  /** Its `allowed_outbound_hosts`, parsed: where HTTP, Redis, PostgreSQL, MySQL and MQTT may connect. */
  allowedOutboundHosts: AllowedHost[];
  /** The limits on its outbound HTTP requests. */
  outboundHttp: OutboundHttpGrant;
}


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
    "wasi:http/outgoing-handler": outgoingHandler(grants.outboundHttp, grants.allowedOutboundHosts, context),
    "fermyon:spin/variables": spinVariables(grants.variables),
    "fermyon:spin/key-value": spinKeyValue(grants.keyValue),
    "fermyon:spin/sqlite": sqlite,
    "spin:sqlite/sqlite": sqlite,
    "fermyon:spin/redis": spinRedis(grants.allowedOutboundHosts, log),
    "fermyon:spin/postgres": spinPostgres(grants.allowedOutboundHosts, log),
    "spin:postgres/postgres@3.0.0": spinPostgres3(grants.allowedOutboundHosts, log),
    "spin:postgres/postgres@4.0.0": spinPostgres4(grants.allowedOutboundHosts, log),
    "fermyon:spin/mysql": spinMysql(grants.allowedOutboundHosts, log),
    "fermyon:spin/mqtt": spinMqtt(grants.allowedOutboundHosts, log),
    "wasi:keyvalue/store": keyValue.store,
    "wasi:keyvalue/atomics": keyValue.atomics,
    "wasi:keyvalue/batch": keyValue.batch,
    "wasi:config/store": wasiConfig(grants.variables),
    // Types only; present in case a glue asks for the interface by name.
    "fermyon:spin/rdbms-types": {},
  };
}

export { CAPABILITY_INTERFACES } from "./interfaces.js";
export { HOST_CALLS, closeOutboundClients } from "./host-calls.js";
