import type { Spin1Memory } from "./spin1-memory.js";
import { SPIN1_METHODS } from "./spin1-http.js";
import { sendSpin1Request, type OutgoingHandler } from "./spin1-outbound-http.js";
import { spin1Databases, type SqliteConnections } from "./spin1-databases.js";
import {
  catching,
  text,
  type Capabilities,
  type KeyValueStore,
  type RedisConnection,
  type Variables,
  type Variant,
} from "./capability-hosts.js";

/**
 * The host interfaces of Spin 1 (its `wit/ephemeral` WIT, wit-bindgen 0.2's ABI, and the same as
 * Spin 1.4's unversioned `fermyon:spin` interfaces in a core module: arguments
 * flattened, results written at a pointer the guest passes last) over the capabilities Wisp serves
 * components: `spin-config` over `fermyon:spin/variables`, `key-value` over
 * `fermyon:spin/key-value`, `outbound-redis` over `fermyon:spin/redis`, `wasi-outbound-http` over
 * `wasi:http/outgoing-handler`; so the same grants (variables, `key_value_stores`,
 * `allowed_outbound_hosts`) hold, as Spin converts them. Spin 1's SDKs import all of these
 * whether the handler uses them or not.
 */

/** Spin 1's `key-value` errors, by case number. */
const KV = { noSuchStore: 1, accessDenied: 2, invalidStore: 3, noSuchKey: 4, io: 5 } as const;
/** Spin 1's `http-error` cases. */
const HTTP = { "destination-not-allowed": 1, "invalid-url": 2, "request-error": 3, "runtime-error": 4 } as const;

/** The state one request's interfaces keep: the key-value stores and SQLite connections it opened. */
export class Spin1RequestState {
  readonly stores: Array<KeyValueStore | undefined> = [];
  readonly connections: SqliteConnections = [];
}

/**
 * The import object of Spin 1's interfaces for one module, built once: calls reach the instance
 * being served through `current` (its memory and request state).
 */
export function spin1Interfaces(
  capabilities: Capabilities,
  current: () => { memory: Spin1Memory; request: Spin1RequestState },
): WebAssembly.Imports {
  const variables = capabilities["fermyon:spin/variables"] as unknown as Variables;
  const keyValue = capabilities["fermyon:spin/key-value"] as unknown as {
    Store: { open(label: string): KeyValueStore };
  };
  const redis = capabilities["fermyon:spin/redis"] as unknown as {
    Connection: { open(address: string): RedisConnection };
  };
  const outgoing = capabilities["wasi:http/outgoing-handler"] as unknown as OutgoingHandler;

  /** `expected<string, error>`-like results: the case at `ret`, the payload after it. */
  const ok = (ret: number) => current().memory.setU8(ret, 0);
  const okString = (ret: number, value: string) => {
    const { memory } = current();
    const [pointer, length] = memory.putString(value);
    memory.setU8(ret, 0);
    memory.setU32(ret + 4, pointer);
    memory.setU32(ret + 8, length);
  };
  const okBytes = (ret: number, value: Uint8Array) => {
    const { memory } = current();
    const [pointer, length] = memory.putBytes(value);
    memory.setU8(ret, 0);
    memory.setU32(ret + 4, pointer);
    memory.setU32(ret + 8, length);
  };
  const okStrings = (ret: number, values: string[]) => {
    const { memory } = current();
    const [pointer, length] = memory.putStrings(values);
    memory.setU8(ret, 0);
    memory.setU32(ret + 4, pointer);
    memory.setU32(ret + 8, length);
  };
  /** A variant error with a string payload (`io(string)`, `other(string)`) at `ret + 4`. */
  const errCase = (ret: number, tag: number, message?: string) => {
    const { memory } = current();
    memory.setU8(ret, 1);
    memory.setU8(ret + 4, tag);
    if (message !== undefined) {
      const [pointer, length] = memory.putString(message);
      memory.setU32(ret + 8, pointer);
      memory.setU32(ret + 12, length);
    }
  };
  const str = (pointer: number, length: number) => current().memory.string(pointer, length);

  const store = (handle: number): KeyValueStore | undefined => current().request.stores[handle];
  const kvError = (ret: number, error: Variant) =>
    error.tag === "access-denied"
      ? errCase(ret, KV.accessDenied)
      : errCase(ret, KV.io, `${error.tag}: ${text(error.val)}`);
  const withStore = (handle: number, ret: number, body: (store: KeyValueStore) => void) => {
    const opened = store(handle);
    if (!opened) return errCase(ret, KV.invalidStore);
    catching(
      () => body(opened),
      (error) => kvError(ret, error),
    );
  };

  /**
   * A redis call; its error is an enum (`success`, `error`), so where it sits after the case byte
   * depends on the ok payload's alignment: 1 after unit, 4 after a list, 8 after an s64.
   */
  const redisCall = (
    address: number,
    addressLength: number,
    ret: number,
    errorAt: 1 | 4 | 8,
    body: (connection: RedisConnection) => void,
  ) =>
    catching(
      () => body(redis.Connection.open(str(address, addressLength))),
      () => {
        current().memory.setU8(ret, 1);
        current().memory.setU8(ret + errorAt, 1);
      },
    );
  const okI64 = (ret: number, value: bigint) => {
    current().memory.setU8(ret, 0);
    current().memory.setI64(ret + 8, value);
  };

  const interfaces = {
    "spin-config": {
      "get-config": (key: number, keyLength: number, ret: number) =>
        catching(
          () => okString(ret, variables.get(str(key, keyLength))),
          // Spin 1's cases: provider, invalid-key, invalid-schema, other.
          (error) =>
            errCase(ret, error.tag === "invalid-name" ? 1 : error.tag === "undefined" ? 0 : 3, text(error.val)),
        ),
    },
    "key-value": {
      open: (name: number, nameLength: number, ret: number) =>
        catching(
          () => {
            const opened = keyValue.Store.open(str(name, nameLength));
            const { request, memory } = current();
            request.stores.push(opened);
            memory.setU8(ret, 0);
            memory.setU32(ret + 4, request.stores.length - 1);
          },
          (error) => kvError(ret, error),
        ),
      get: (handle: number, key: number, keyLength: number, ret: number) =>
        withStore(handle, ret, (opened) => {
          const value = opened.get(str(key, keyLength));
          if (value === undefined) errCase(ret, KV.noSuchKey);
          else okBytes(ret, value);
        }),
      set: (handle: number, key: number, keyLength: number, value: number, valueLength: number, ret: number) =>
        withStore(handle, ret, (opened) => {
          opened.set(str(key, keyLength), current().memory.bytes(value, valueLength));
          ok(ret);
        }),
      delete: (handle: number, key: number, keyLength: number, ret: number) =>
        withStore(handle, ret, (opened) => {
          opened.delete(str(key, keyLength));
          ok(ret);
        }),
      exists: (handle: number, key: number, keyLength: number, ret: number) =>
        withStore(handle, ret, (opened) => {
          const found = opened.exists(str(key, keyLength));
          ok(ret);
          current().memory.setU8(ret + 4, found ? 1 : 0);
        }),
      "get-keys": (handle: number, ret: number) => withStore(handle, ret, (opened) => okStrings(ret, opened.getKeys())),
      close: (handle: number) => {
        current().request.stores[handle] = undefined;
      },
    },
    "outbound-redis": {
      publish: (a: number, al: number, channel: number, cl: number, payload: number, pl: number, ret: number) =>
        redisCall(a, al, ret, 1, (c) => {
          c.publish(str(channel, cl), current().memory.bytes(payload, pl));
          ok(ret);
        }),
      get: (a: number, al: number, key: number, kl: number, ret: number) =>
        redisCall(a, al, ret, 4, (c) => okBytes(ret, c.get(str(key, kl)) ?? new Uint8Array())),
      set: (a: number, al: number, key: number, kl: number, value: number, vl: number, ret: number) =>
        redisCall(a, al, ret, 1, (c) => {
          c.set(str(key, kl), current().memory.bytes(value, vl));
          ok(ret);
        }),
      incr: (a: number, al: number, key: number, kl: number, ret: number) =>
        redisCall(a, al, ret, 8, (c) => okI64(ret, c.incr(str(key, kl)))),
      del: (a: number, al: number, keys: number, count: number, ret: number) =>
        redisCall(a, al, ret, 8, (c) => okI64(ret, BigInt(c.del(current().memory.strings(keys, count))))),
      sadd: (a: number, al: number, key: number, kl: number, values: number, count: number, ret: number) =>
        redisCall(a, al, ret, 8, (c) =>
          okI64(ret, BigInt(c.sadd(str(key, kl), current().memory.strings(values, count)))),
        ),
      smembers: (a: number, al: number, key: number, kl: number, ret: number) =>
        redisCall(a, al, ret, 4, (c) => okStrings(ret, c.smembers(str(key, kl)))),
      srem: (a: number, al: number, key: number, kl: number, values: number, count: number, ret: number) =>
        redisCall(a, al, ret, 8, (c) =>
          okI64(ret, BigInt(c.srem(str(key, kl), current().memory.strings(values, count)))),
        ),
      execute: (a: number, al: number, command: number, cl: number, args: number, count: number, ret: number) =>
        redisCall(a, al, ret, 4, (c) => {
          const { memory } = current();
          // list<redis-parameter>: 16-byte elements, the case at 0 and the payload at 8.
          const parameters = Array.from({ length: count }, (_, i) => {
            const at = args + i * 16;
            return memory.u8(at) === 0
              ? ({ tag: "int64", val: memory.i64(at + 8) } as const)
              : ({ tag: "binary", val: memory.bytes(memory.u32(at + 8), memory.u32(at + 12)) } as const);
          });
          const results = c.execute(str(command, cl), parameters);
          // list<redis-result>: nil, status(string), int64(s64), binary(payload); 16-byte elements.
          const pointer = memory.putBytes(new Uint8Array(results.length * 16), 8)[0];
          results.forEach((result, i) => {
            const at = pointer + i * 16;
            if (result.tag === "nil") return memory.setU8(at, 0);
            if (result.tag === "int64") {
              memory.setU8(at, 2);
              return memory.setI64(at + 8, result.val as bigint);
            }
            const [p, l] =
              result.tag === "status"
                ? memory.putString(result.val as string)
                : memory.putBytes(result.val as Uint8Array);
            memory.setU8(at, result.tag === "status" ? 1 : 3);
            memory.setU32(at + 8, p);
            memory.setU32(at + 12, l);
          });
          memory.setU8(ret, 0);
          memory.setU32(ret + 4, pointer);
          memory.setU32(ret + 8, results.length);
        }),
    },
    "wasi-outbound-http": {
      request: (
        method: number,
        uri: number,
        uriLength: number,
        headers: number,
        headerCount: number,
        _params: number,
        _paramCount: number,
        hasBody: number,
        body: number,
        bodyLength: number,
        ret: number,
      ) => {
        const { memory } = current();
        const methodName = SPIN1_METHODS[method];
        const sent: ReturnType<typeof sendSpin1Request> = methodName
          ? sendSpin1Request(outgoing, {
              method: methodName,
              uri: memory.string(uri, uriLength),
              headers: memory.pairs(headers, headerCount),
              body: hasBody ? memory.bytes(body, bodyLength) : undefined,
            })
          : { error: "request-error" };
        if ("error" in sent) {
          memory.setU8(ret, 1);
          memory.setU8(ret + 4, HTTP[sent.error]);
          return;
        }
        // expected<response, http-error>: the response record at 4: status, option<headers> at 8, option<body> at 20.
        memory.setU8(ret, 0);
        memory.setU16(ret + 4, sent.status);
        const [hp, hl] = memory.putPairs(sent.headers);
        memory.setU8(ret + 8, 1);
        memory.setU32(ret + 12, hp);
        memory.setU32(ret + 16, hl);
        const [bp, bl] = memory.putBytes(sent.body);
        memory.setU8(ret + 20, 1);
        memory.setU32(ret + 24, bp);
        memory.setU32(ret + 28, bl);
      },
    },
  };
  // Spin 1.4 and 1.5's SDKs (wit-bindgen 0.8) import the same functions, laid out alike, as the
  // unversioned fermyon:spin interfaces of a component type.
  return {
    ...interfaces,
    ...spin1Databases(capabilities, () => ({ memory: current().memory, connections: current().request.connections })),
    "fermyon:spin/config": interfaces["spin-config"],
    "fermyon:spin/http": { "send-request": interfaces["wasi-outbound-http"].request },
    "fermyon:spin/key-value": interfaces["key-value"],
    "fermyon:spin/redis": interfaces["outbound-redis"],
  };
}

/** The functions of Spin 1's interfaces this host serves, by module: for checking a module's imports at start. */
export const SPIN1_INTERFACE_FUNCTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(
    spin1Interfaces({}, () => {
      throw new Error("never called");
    }),
  ).map(([module, functions]) => [module, new Set(Object.keys(functions))]),
);
