import { Redis } from "ioredis";
import type { RedisCommandArgs, RedisValue } from "./host-calls.js";

/** One client per address, shared by every worker and request (ioredis pipelines on it). */
const clients = new Map<string, Redis>();

function clientFor(address: string): Redis {
  let client = clients.get(address);
  if (!client) {
    client = new Redis(address, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 5_000,
    });
    // Errors surface on the command that hits them; the client's own event must not crash Wisp.
    client.on("error", () => {});
    clients.set(address, client);
  }
  return client;
}

function toReply(value: unknown): RedisValue[] {
  if (Array.isArray(value)) return value.flatMap(toReply);
  if (value === null || value === undefined) return [{ tag: "nil" }];
  if (typeof value === "number") return [{ tag: "int64", val: BigInt(value) }];
  if (typeof value === "bigint") return [{ tag: "int64", val: value }];
  if (Buffer.isBuffer(value)) return [{ tag: "binary", val: new Uint8Array(value) }];
  return [{ tag: "status", val: String(value) }]; // eslint-disable-line @typescript-eslint/no-base-to-string -- a status reply: ioredis gives a string
}

/** Main thread: runs one command for a guest, replies as binary (bulk), status, integer or nil. */
export async function redisCommand({ address, command, args }: RedisCommandArgs): Promise<RedisValue[]> {
  const converted = args.map((arg) =>
    typeof arg === "bigint" ? arg.toString() : typeof arg === "string" ? arg : Buffer.from(arg),
  );
  const reply = await clientFor(address).callBuffer(command, ...converted);
  // Simple-string replies come back as buffers too; `OK`-style statuses read better as status.
  if (Buffer.isBuffer(reply) && /^(set|mset|flushdb|flushall|select|ping|auth|rename|setex)$/i.test(command))
    return [{ tag: "status", val: reply.toString() }];
  return toReply(reply);
}

/** Closes every client (at shutdown). */
export async function closeRedisClients(): Promise<void> {
  await Promise.all([...clients.values()].map((client) => client.quit().catch(() => client.disconnect())));
  clients.clear();
}
