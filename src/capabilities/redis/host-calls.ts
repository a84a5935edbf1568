/**
 * The host calls of the redis capability: what its guest imports (and a key-value store of type
 * "redis") ask of main, and what main answers. Imported as types only, by both threads.
 */
export interface RedisHostCalls {
  /** One command on main's shared client for `address`; the reply, flattened. */
  "redis.command": { args: RedisCommandArgs; answer: RedisValue[] };
}

/** A Redis reply as Spin's interface types it. */
export type RedisValue =
  { tag: "nil" } | { tag: "status"; val: string } | { tag: "int64"; val: bigint } | { tag: "binary"; val: Uint8Array };

export interface RedisCommandArgs {
  address: string;
  command: string;
  args: Array<string | Uint8Array | bigint>;
}
