import type { RedisCommandArgs, RedisHostCalls, RedisValue } from "../redis/index.js";
import type { KeyValueStore } from "./store.js";
import { hostCallsOf } from "../../engine/worker/host-call.js";

const callMain = hostCallsOf<RedisHostCalls>();

const COMPARE_AND_SWAP = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '1' and current == ARGV[2]) or (ARGV[1] == '0' and current == false) then
  redis.call('SET', KEYS[1], ARGV[3])
  return 1
end
return 0`;

/**
 * A key-value store in Redis, through main's shared client for its URL (the redis capability's
 * host call). Keys are stored as they are (as Spin's Redis store does), so several Wisp replicas
 * pointed at one Redis share state. A failure is thrown as an Error with main's message, as
 * every backend's is: each interface makes its own error of it.
 */
export class RedisKeyValue implements KeyValueStore {
  constructor(private readonly url: string) {}

  private run(command: string, args: RedisCommandArgs["args"]): RedisValue[] {
    return callMain("redis.command", { address: this.url, command, args });
  }

  get(key: string): Uint8Array | undefined {
    const [value] = this.run("GET", [key]);
    return value?.tag === "binary" ? value.val : undefined;
  }
  set(key: string, value: Uint8Array): void {
    this.run("SET", [key, value]);
  }
  delete(key: string): void {
    this.run("DEL", [key]);
  }
  exists(key: string): boolean {
    const [value] = this.run("EXISTS", [key]);
    return value?.tag === "int64" && value.val > 0n;
  }
  /** INCRBY: the value is Redis's decimal integer, as Spin's Redis store keeps it. */
  increment(key: string, delta: bigint): bigint {
    const [value] = this.run("INCRBY", [key, delta]);
    if (value?.tag !== "int64") throw new Error(`INCRBY ${key} did not answer an integer`);
    return value.val;
  }
  compareAndSwap(key: string, expected: Uint8Array | undefined, value: Uint8Array): boolean {
    // A script runs atomically on the server, so the shared client needs no WATCH of its own.
    const args = expected ? ["1", expected, value] : ["0", "", value];
    const [done] = this.run("EVAL", [COMPARE_AND_SWAP, "1", key, ...args]);
    return done?.tag === "int64" && done.val === 1n;
  }
  keys(): string[] {
    return this.run("KEYS", ["*"])
      .flatMap((v) => (v.tag === "binary" ? [Buffer.from(v.val).toString()] : []))
      .sort();
  }
}
