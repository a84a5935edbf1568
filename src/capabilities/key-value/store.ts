/** What every key-value backend does, synchronously (guests call it from a worker thread). */
export interface KeyValueStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  keys(): string[];
  /** Adds `delta` to the key's integer (absent is 0) in one atomic step; answers the new value. */
  increment(key: string, delta: bigint): bigint;
  /**
   * Sets the key to `value` only if it still holds `expected` (`undefined`: only if it is absent),
   * in one atomic step; answers whether it did.
   */
  compareAndSwap(key: string, expected: Uint8Array | undefined, value: Uint8Array): boolean;
}

/** A store a component is granted: where its data lives (structured-cloneable, sent to workers). */
export type KeyValueBackend = { type: "spin"; path: string } | { type: "redis"; url: string };

/**
 * A store whose every operation is awaited: a guest of the async ABI (Spin 4's key-value) or one
 * whose glue suspends calls it, so that its thread runs on while the backend answers.
 */
export type AsyncKeyValueStore = {
  [Op in keyof KeyValueStore]: (...args: Parameters<KeyValueStore[Op]>) => Promise<ReturnType<KeyValueStore[Op]>>;
};
