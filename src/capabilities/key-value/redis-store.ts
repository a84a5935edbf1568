import { witError } from "../guest-errors.js";
import { runRedis } from "../redis/spin-redis.js";
import type { KeyValueStore } from "./store.js";

const COMPARE_AND_SWAP = `
local current = redis.call('GET', KEYS[1])
if (ARGV[1] == '1' and current == ARGV[2]) or (ARGV[1] == '0' and current == false) then
  redis.call('SET', KEYS[1], ARGV[3])
  return 1
end
return 0`;

/**
 * A key-value store in Redis, through main's shared client for its URL. Keys are stored as they
 * are (as Spin's Redis store does), so several Wisp replicas pointed at one Redis share state.
 */
export class RedisKeyValue implements KeyValueStore {
  constructor(private readonly url: string) {}

  get(key: string): Uint8Array | undefined {
    const [value] = runRedis(this.url, "GET", [key]);
    return value?.tag === "binary" ? value.val : undefined;
  }
  set(key: string, value: Uint8Array): void {
    runRedis(this.url, "SET", [key, value]);
  }
  delete(key: string): void {
    runRedis(this.url, "DEL", [key]);
  }
  exists(key: string): boolean {
    const [value] = runRedis(this.url, "EXISTS", [key]);
    return value?.tag === "int64" && value.val > 0n;
  }
  /** INCRBY: the value is Redis's decimal integer, as Spin's Redis store keeps it. */
  increment(key: string, delta: bigint): bigint {
    const [value] = runRedis(this.url, "INCRBY", [key, delta]);
    if (value?.tag !== "int64") throw witError("other", `INCRBY ${key} did not answer an integer`);
    return value.val;
  }
  compareAndSwap(key: string, expected: Uint8Array | undefined, value: Uint8Array): boolean {
    // A script runs atomically on the server, so the shared client needs no WATCH of its own.
    const args = expected ? ["1", expected, value] : ["0", "", value];
    const [done] = runRedis(this.url, "EVAL", [COMPARE_AND_SWAP, "1", key, ...args]);
    return done?.tag === "int64" && done.val === 1n;
  }
  keys(): string[] {
    return runRedis(this.url, "KEYS", ["*"])
      .flatMap((v) => (v.tag === "binary" ? [Buffer.from(v.val).toString()] : []))
      .sort();
  }
}
