import { witError } from "../../../../../capabilities/guest-errors.js";
import {
  catching,
  text,
  type Capabilities,
  type KeyValueStore,
  type Opener,
  type RdbmsConnection,
  type RedisConnection,
  type SqliteConnection,
  type Variables,
  type Variant,
} from "./capability-hosts.js";
import { sendSpin1Request, type OutgoingHandler } from "./spin1-outbound-http.js";

/**
 * Spin 1.4's unversioned `fermyon:spin` interfaces (Spin's `wit/deps/spin@unversioned`) as a
 * component imports them, which Spin 2 and 3 still serve: the same functions the core-module
 * bindings serve (spin1-interfaces.ts, spin1-databases.ts), here as jco's glue passes values, over
 * the capabilities' 2.0 hosts and so the same grants. The 2.0 interfaces have the same names
 * without a version; the glue reaches these by the names below (see UNVERSIONED_SPIN_ALIASES).
 */

/** Runs `body`; a WIT error the 2.0 host throws is thrown as `convert` makes it; anything else propagates. */
function converting<T>(body: () => T, convert: (error: Variant) => unknown): T {
  return catching(body, (error) => {
    throw convert(error);
  });
}

/** The interfaces this serves, by the name a component imports (unversioned). */
const INTERFACES = [
  "config",
  "http",
  "http-types",
  "key-value",
  "redis",
  "redis-types",
  "sqlite",
  "postgres",
  "mysql",
  "rdbms-types",
] as const;

/** The host name of an unversioned interface, beside the 2.0.0 one that has its bare name. */
const hostName = (name: string) => `fermyon:spin/${name}@unversioned`;

/**
 * jco's map for these: an unversioned import to its own host object, and the 2.0.0 import (which
 * jco would otherwise look up by the bare name) to the 2.0 host's, as before.
 */
export const UNVERSIONED_SPIN_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  INTERFACES.flatMap((name) => [
    [`fermyon:spin/${name}`, hostName(name)],
    [`fermyon:spin/${name}@2.0.0`, `fermyon:spin/${name}`],
  ]),
);

/** The unversioned interfaces a component may import (checked at start). */
export const UNVERSIONED_SPIN_INTERFACES: readonly string[] = INTERFACES.map((name) => `fermyon:spin/${name}`);

type Hosts = Capabilities;

/** Spin 1 key-value's error cases without a payload. */
const KEY_VALUE_CASES = ["store-table-full", "no-such-store", "access-denied", "invalid-store", "no-such-key"];

const RDBMS_ERROR = (error: Variant) => ({
  tag: error.tag === "other" ? "other-error" : error.tag,
  val: text(error.val),
});

/**
 * The hosts, over `capabilities` (a component's, keyed as the glue asks for them). `reset` forgets
 * the stores and connections the last request opened (a request's instance is fresh).
 */
export function unversionedSpinHosts(capabilities: Hosts): { imports: Hosts; reset(): void } {
  const variables = capabilities["fermyon:spin/variables"] as unknown as Variables;
  const keyValue = capabilities["fermyon:spin/key-value"] as unknown as {
    Store: { open(label: string): KeyValueStore };
  };
  const redis = capabilities["fermyon:spin/redis"] as unknown as Opener<RedisConnection>;
  const sqlite = capabilities["fermyon:spin/sqlite"] as unknown as Opener<SqliteConnection>;
  const postgres = capabilities["fermyon:spin/postgres"] as unknown as Opener<RdbmsConnection>;
  const mysql = capabilities["fermyon:spin/mysql"] as unknown as Opener<RdbmsConnection>;
  const outgoing = capabilities["wasi:http/outgoing-handler"] as unknown as OutgoingHandler;
  let stores: Array<KeyValueStore | undefined> = [];
  let connections: Array<SqliteConnection | undefined> = [];

  // Spin 1's own cases pass as they are (access-denied from the 2.0 host, the rest from here); anything else is `io`.
  const kvError = (error: Variant) =>
    KEY_VALUE_CASES.includes(error.tag) ? { tag: error.tag } : { tag: "io", val: `${error.tag}: ${text(error.val)}` };
  const store = (handle: number) => {
    const opened = stores[handle];
    if (!opened) throw witError("invalid-store");
    return opened;
  };
  const connection = (handle: number) => {
    const opened = connections[handle];
    if (!opened) throw witError("invalid-connection");
    return opened;
  };
  // Redis's error is one case, `error`.
  const redisCall = <T>(address: string, body: (c: RedisConnection) => T) =>
    converting(
      () => body(redis.Connection.open(address)),
      () => "error",
    );

  const imports: Hosts = {
    [hostName("config")]: {
      getConfig: (key: string) =>
        converting(
          () => variables.get(key),
          (error) => ({
            tag: error.tag === "invalid-name" ? "invalid-key" : error.tag === "undefined" ? "provider" : "other",
            val: text(error.val),
          }),
        ),
    },
    [hostName("http")]: {
      sendRequest: (request: { method: string; uri: string; headers: Array<[string, string]>; body?: Uint8Array }) => {
        const sent = sendSpin1Request(outgoing, {
          ...request,
          body: request.body,
          method: request.method.toUpperCase(),
        });
        // http-error is an enum: jco's glue takes its case's name as the thrown value.
        if ("error" in sent) throw sent.error;
        return sent;
      },
    },
    [hostName("key-value")]: {
      open: (name: string) => converting(() => stores.push(keyValue.Store.open(name)) - 1, kvError),
      get: (handle: number, key: string) =>
        converting(() => {
          const value = store(handle).get(key);
          if (value === undefined) throw witError("no-such-key");
          return value;
        }, kvError),
      set: (handle: number, key: string, value: Uint8Array) => converting(() => store(handle).set(key, value), kvError),
      delete: (handle: number, key: string) => converting(() => store(handle).delete(key), kvError),
      exists: (handle: number, key: string) => converting(() => store(handle).exists(key), kvError),
      getKeys: (handle: number) => converting(() => store(handle).getKeys(), kvError),
      close: (handle: number) => {
        stores[handle] = undefined;
      },
    },
    [hostName("redis")]: {
      publish: (a: string, channel: string, payload: Uint8Array) => redisCall(a, (c) => c.publish(channel, payload)),
      get: (a: string, key: string) => redisCall(a, (c) => c.get(key) ?? new Uint8Array()),
      set: (a: string, key: string, value: Uint8Array) => redisCall(a, (c) => c.set(key, value)),
      incr: (a: string, key: string) => redisCall(a, (c) => c.incr(key)),
      del: (a: string, keys: string[]) => redisCall(a, (c) => BigInt(c.del(keys))),
      sadd: (a: string, key: string, values: string[]) => redisCall(a, (c) => BigInt(c.sadd(key, values))),
      smembers: (a: string, key: string) => redisCall(a, (c) => c.smembers(key)),
      srem: (a: string, key: string, values: string[]) => redisCall(a, (c) => BigInt(c.srem(key, values))),
      execute: (a: string, command: string, args: Variant[]) => redisCall(a, (c) => c.execute(command, args)),
    },
    [hostName("sqlite")]: {
      open: (database: string) => converting(() => connections.push(sqlite.Connection.open(database)) - 1, sqliteError),
      execute: (handle: number, statement: string, parameters: Variant[]) =>
        converting(() => connection(handle).execute(statement, parameters), sqliteError),
      close: (handle: number) => {
        connections[handle] = undefined;
      },
    },
    [hostName("postgres")]: {
      query: (a: string, statement: string, params: Variant[]) =>
        converting(() => postgres.Connection.open(a).query(statement, params), RDBMS_ERROR),
      execute: (a: string, statement: string, params: Variant[]) =>
        converting(() => postgres.Connection.open(a).execute(statement, params), RDBMS_ERROR),
    },
    [hostName("mysql")]: {
      query: (a: string, statement: string, params: Variant[]) =>
        converting(() => mysql.Connection.open(a).query(statement, params), RDBMS_ERROR),
      execute: (a: string, statement: string, params: Variant[]) =>
        converting(() => void mysql.Connection.open(a).execute(statement, params), RDBMS_ERROR),
    },
    // Types only: present in case the glue asks for them by name.
    [hostName("http-types")]: {},
    [hostName("redis-types")]: {},
    [hostName("rdbms-types")]: {},
  };
  return {
    imports,
    reset() {
      // Per request: allocate only when the last request opened something.
      if (stores.length > 0) stores = [];
      if (connections.length > 0) connections = [];
    },
  };
}

/** sqlite's error cases by name; anything else is `io` with its text. */
function sqliteError(error: Variant): Variant {
  return ["no-such-database", "access-denied", "invalid-connection", "database-full"].includes(error.tag)
    ? { tag: error.tag }
    : { tag: "io", val: error.tag === "io" ? text(error.val) : `${error.tag}: ${text(error.val)}` };
}
