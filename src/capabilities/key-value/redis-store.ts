import { runRedis } from "../redis/spin-redis.js";
import type { KeyValueStore } from "./store.js";

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
  keys(): string[] {
    return runRedis(this.url, "KEYS", ["*"]).flatMap((v) => (v.tag === "binary" ? [Buffer.from(v.val).toString()] : [])).sort();
  }
}
