import { awaitHostCall, hostCall, witError, type WitVariant } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-networking/index.js";
import type { RedisCommandArgs, RedisHostCalls, RedisValue } from "./host-calls.js";
import { asyncHostCallsOf, hostCallsOf } from "../../engine/worker/host-call.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinRedis from "../../generated/fermyon-spin/interfaces/fermyon-spin-redis.js";
import type * as SpinRedisAsync from "../../generated/spin-redis@3.0.0/interfaces/spin-redis-redis.js";

// No query parameters: ioredis reads `path` (a Unix socket) and others from the query.
const REDIS: AddressKind = { name: "a Redis connection", defaultPorts: { "redis:": "6379", "rediss:": "6379" } };

type Parameter = { tag: "int64"; val: bigint } | { tag: "binary"; val: Uint8Array };

const callMain = hostCallsOf<RedisHostCalls>();
const callMainAsync = asyncHostCallsOf<RedisHostCalls>();

/** A failure on main (a refused connection, Redis's own error) as the interface's `other`. */
const other = (message: string) => witError("other", message) satisfies SpinRedis.Error & SpinRedisAsync.Error;

/** Runs a command through main's shared client; a failure is the interface's `other` error. */
export function runRedis(address: string, command: string, args: RedisCommandArgs["args"]): RedisValue[] {
  return hostCall(() => callMain("redis.command", { address, command, args }), other);
}

function first(values: RedisValue[]): RedisValue {
  return values[0] ?? { tag: "nil" };
}

function integer(values: RedisValue[]): bigint {
  const value = first(values);
  if (value.tag !== "int64") throw witError("type-error") satisfies SpinRedis.Error;
  return value.val;
}

/** One method of a connection as Redis runs it: the command, and what its answer means. */
interface RedisOperation<T> {
  command: string;
  args: RedisCommandArgs["args"];
  read: (answer: RedisValue[]) => T;
}

/** Each method of Spin's Redis connection (2.0's and Spin 4's 3.0's are the same but for async). */
const OPERATIONS = {
  publish: (channel: string, payload: Uint8Array): RedisOperation<void> => ({
    command: "PUBLISH",
    args: [channel, payload],
    read: () => undefined,
  }),
  get: (key: string): RedisOperation<Uint8Array | undefined> => ({
    command: "GET",
    args: [key],
    read: (values) => {
      const value = first(values);
      if (value.tag === "nil") return undefined;
      if (value.tag !== "binary") throw witError("type-error") satisfies SpinRedis.Error;
      return value.val;
    },
  }),
  set: (key: string, value: Uint8Array): RedisOperation<void> => ({
    command: "SET",
    args: [key, value],
    read: () => undefined,
  }),
  incr: (key: string): RedisOperation<bigint> => ({ command: "INCR", args: [key], read: integer }),
  del: (keys: string[]): RedisOperation<number> => ({
    command: "DEL",
    args: keys,
    read: (values) => Number(integer(values)),
  }),
  sadd: (key: string, values: string[]): RedisOperation<number> => ({
    command: "SADD",
    args: [key, ...values],
    read: (answer) => Number(integer(answer)),
  }),
  smembers: (key: string): RedisOperation<string[]> => ({
    command: "SMEMBERS",
    args: [key],
    read: (values) => values.flatMap((v) => (v.tag === "binary" ? [Buffer.from(v.val).toString()] : [])),
  }),
  srem: (key: string, values: string[]): RedisOperation<number> => ({
    command: "SREM",
    args: [key, ...values],
    read: (answer) => Number(integer(answer)),
  }),
  execute: (command: string, args: Parameter[]): RedisOperation<RedisValue[]> => ({
    command,
    args: args.map((a) => a.val),
    read: (values) => values,
  }),
};

/**
 * The address a connection may open: a `redis://` address the component's
 * `allowed_outbound_hosts` allows (logged when not), normalised as ioredis reads it.
 */
function checkedAddress(address: string, allowed: readonly AllowedHost[], log: (line: string) => void): string {
  const checked = checkOutboundAddress(address, REDIS, allowed, log);
  if (!checked.ok)
    throw checked.reason === "invalid"
      ? (witError("invalid-address") satisfies SpinRedis.Error)
      : (other(checked.message) satisfies WitVariant);
  return checked.address;
}

/**
 * `fermyon:spin/redis@2.0.0` for one instance: `Connection.open` takes a `redis://` address the
 * component's `allowed_outbound_hosts` allows; commands go through one client per address on
 * main, each blocking the thread until main answers.
 */
export function spinRedis(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Connection {
      return new Connection(checkedAddress(address, allowed, log));
    }

    private run<T>({ command, args, read }: RedisOperation<T>): T {
      return read(runRedis(this.address, command, args));
    }

    publish = (channel: string, payload: Uint8Array) => this.run(OPERATIONS.publish(channel, payload));
    get = (key: string) => this.run(OPERATIONS.get(key));
    set = (key: string, value: Uint8Array) => this.run(OPERATIONS.set(key, value));
    incr = (key: string) => this.run(OPERATIONS.incr(key));
    del = (keys: string[]) => this.run(OPERATIONS.del(keys));
    sadd = (key: string, values: string[]) => this.run(OPERATIONS.sadd(key, values));
    smembers = (key: string) => this.run(OPERATIONS.smembers(key));
    srem = (key: string, values: string[]) => this.run(OPERATIONS.srem(key, values));
    execute = (command: string, args: Parameter[]) => this.run(OPERATIONS.execute(command, args));
  }
  return { Connection } satisfies HostImplementation<typeof SpinRedis>;
}

/**
 * `spin:redis/redis@3.0.0` (Spin 4) for one instance: 2.0's connection, every call awaited (the
 * thread runs the guest's other tasks while main talks to Redis), the same checks and clients.
 */
export function spinRedisAsync(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Promise<Connection> {
      return Promise.resolve().then(() => new Connection(checkedAddress(address, allowed, log)));
    }

    private async run<T>({ command, args, read }: RedisOperation<T>): Promise<T> {
      return read(
        await awaitHostCall(() => callMainAsync("redis.command", { address: this.address, command, args }), other),
      );
    }

    publish = (channel: string, payload: Uint8Array) => this.run(OPERATIONS.publish(channel, payload));
    get = (key: string) => this.run(OPERATIONS.get(key));
    set = (key: string, value: Uint8Array) => this.run(OPERATIONS.set(key, value));
    incr = (key: string) => this.run(OPERATIONS.incr(key));
    del = (keys: string[]) => this.run(OPERATIONS.del(keys));
    sadd = (key: string, values: string[]) => this.run(OPERATIONS.sadd(key, values));
    smembers = (key: string) => this.run(OPERATIONS.smembers(key));
    srem = (key: string, values: string[]) => this.run(OPERATIONS.srem(key, values));
    execute = (command: string, args: Parameter[]) => this.run(OPERATIONS.execute(command, args));
  }
  return { Connection } satisfies HostImplementation<typeof SpinRedisAsync>;
}
