/**
 * The capabilities' component hosts (fermyon:spin@2.0.0's key-value, redis, sqlite, postgres,
 * mysql, variables) as Spin 1's interfaces use them, whether bound to a module's memory
 * (spin1-interfaces.ts, spin1-databases.ts) or to a component's glue (unversioned-spin.ts): the
 * calls they make, typed loosely (the capabilities type them against their generated WIT).
 */

/** A WIT variant as jco passes it, and as the capabilities throw their errors: `{ tag, val? }`. */
export interface Variant {
  tag: string;
  val?: unknown;
}

export function isVariant(value: unknown): value is Variant {
  return typeof value === "object" && value !== null && typeof (value as Variant).tag === "string";
}

/**
 * Calls `body`; a WIT error a capability throws goes to `onError`, whose answer is the call's;
 * anything else (a trap, a closed client, a host failure) propagates.
 */
export function catching<T>(body: () => T, onError: (error: Variant) => T): T {
  try {
    return body();
  } catch (error) {
    if (isVariant(error)) return onError(error);
    throw error;
  }
}

/** A variant's payload as the text of a Spin 1 error case. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
}

/** A component's imports by interface name, as the capabilities build them. */
export type Capabilities = Record<string, Record<string, unknown>>;

/** A resource a 2.0 interface opens with `Connection.open(address)` (redis, sqlite, postgres, mysql). */
export type Opener<T> = { Connection: { open(address: string): T } };

export interface Variables {
  get(name: string): string;
}

export interface KeyValueStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  getKeys(): string[];
}

export interface RedisConnection {
  publish(channel: string, payload: Uint8Array): void;
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  incr(key: string): bigint;
  del(keys: string[]): number;
  sadd(key: string, values: string[]): number;
  smembers(key: string): string[];
  srem(key: string, values: string[]): number;
  execute(command: string, args: Variant[]): Variant[];
}

export interface SqliteConnection {
  execute(statement: string, parameters: Variant[]): { columns: string[]; rows: Array<{ values: Variant[] }> };
}

export interface RdbmsConnection {
  query(
    statement: string,
    params: Variant[],
  ): { columns: Array<{ name: string; dataType: string }>; rows: Variant[][] };
  execute(statement: string, params: Variant[]): bigint | undefined;
}
