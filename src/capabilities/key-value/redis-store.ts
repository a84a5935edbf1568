import type { RedisCommandArgs, RedisHostCalls, RedisValue } from "../redis/index.js";
import type { AsyncKeyValueStore, KeyValueStore } from "./store.js";
import { asyncHostCallsOf, hostCallsOf } from "../../engine/worker/host-call.js";

const callMain = hostCallsOf<RedisHostCalls>();
const callMainAsync = asyncHostCallsOf<RedisHostCalls>();

const COMPARE_AND_SWAP = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '1' and current == ARGV[2]) or (ARGV[1] == '0' and current == false) then
  redis.call('SET', KEYS[1], ARGV[3])
  return 1
end
return 0`;

/** One store operation as Redis runs it: the command, and what its answer means. */
interface RedisOperation<T> {
  command: string;
  args: RedisCommandArgs["args"];
  read: (answer: RedisValue[]) => T;
}

const done = (): void => undefined;

/**
 * Each operation of a key-value store in Redis. Keys are stored as they are (as Spin's Redis
 * store does), so several Wisp replicas pointed at one Redis share state.
 */
const OPERATIONS = {
  get: (key: string): RedisOperation<Uint8Array | undefined> => ({
    command: "GET",
    args: [key],
    read: ([value]) => (value?.tag === "binary" ? value.val : undefined),
  }),
  set: (key: string, value: Uint8Array): RedisOperation<void> => ({ command: "SET", args: [key, value], read: done }),
  delete: (key: string): RedisOperation<void> => ({ command: "DEL", args: [key], read: done }),
  exists: (key: string): RedisOperation<boolean> => ({
    command: "EXISTS",
    args: [key],
    read: ([value]) => value?.tag === "int64" && value.val > 0n,
  }),
  /** INCRBY: the value is Redis's decimal integer, as Spin's Redis store keeps it. */
  increment: (key: string, delta: bigint): RedisOperation<bigint> => ({
    command: "INCRBY",
    args: [key, delta],
    read: ([value]) => {
      if (value?.tag !== "int64") throw new Error(`INCRBY ${key} did not answer an integer`);
      return value.val;
    },
  }),
  // A script runs atomically on the server, so the shared client needs no WATCH of its own.
  compareAndSwap: (key: string, expected: Uint8Array | undefined, value: Uint8Array): RedisOperation<boolean> => ({
    command: "EVAL",
    args: [COMPARE_AND_SWAP, "1", key, ...(expected ? ["1", expected, value] : ["0", "", value])],
    read: ([swapped]) => swapped?.tag === "int64" && swapped.val === 1n,
  }),
  keys: (): RedisOperation<string[]> => ({
    command: "KEYS",
    args: ["*"],
    read: (values) => values.flatMap((v) => (v.tag === "binary" ? [Buffer.from(v.val).toString()] : [])).sort(),
  }),
} satisfies { [Op in keyof KeyValueStore]: (...args: Parameters<KeyValueStore[Op]>) => unknown };

/**
 * A key-value store in Redis, through main's shared client for its URL (the redis capability's
 * host call), each call blocking its thread until main answers. A failure is thrown as an Error
 * with main's message, as every backend's is: each interface makes its own error of it.
 */
export class RedisKeyValue implements KeyValueStore {
  constructor(private readonly url: string) {}

  private run<T>({ command, args, read }: RedisOperation<T>): T {
    return read(callMain("redis.command", { address: this.url, command, args }));
  }

  get = (key: string) => this.run(OPERATIONS.get(key));
  set = (key: string, value: Uint8Array) => this.run(OPERATIONS.set(key, value));
  delete = (key: string) => this.run(OPERATIONS.delete(key));
  exists = (key: string) => this.run(OPERATIONS.exists(key));
  increment = (key: string, delta: bigint) => this.run(OPERATIONS.increment(key, delta));
  compareAndSwap = (key: string, expected: Uint8Array | undefined, value: Uint8Array) =>
    this.run(OPERATIONS.compareAndSwap(key, expected, value));
  keys = () => this.run(OPERATIONS.keys());
}

/** The same store for a guest that must not block (the async ABI's, a suspending one's): each call awaited, so its thread runs on meanwhile. */
export class AsyncRedisKeyValue implements AsyncKeyValueStore {
  constructor(private readonly url: string) {}

  private async run<T>({ command, args, read }: RedisOperation<T>): Promise<T> {
    return read(await callMainAsync("redis.command", { address: this.url, command, args }));
  }

  get = (key: string) => this.run(OPERATIONS.get(key));
  set = (key: string, value: Uint8Array) => this.run(OPERATIONS.set(key, value));
  delete = (key: string) => this.run(OPERATIONS.delete(key));
  exists = (key: string) => this.run(OPERATIONS.exists(key));
  increment = (key: string, delta: bigint) => this.run(OPERATIONS.increment(key, delta));
  compareAndSwap = (key: string, expected: Uint8Array | undefined, value: Uint8Array) =>
    this.run(OPERATIONS.compareAndSwap(key, expected, value));
  keys = () => this.run(OPERATIONS.keys());
}
