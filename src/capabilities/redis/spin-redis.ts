import { hostCall, witError } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-networking/index.js";
import type { RedisCommandArgs, RedisHostCalls, RedisValue } from "./host-calls.js";
import { hostCallsOf } from "../../engine/worker/host-call.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinRedis from "../../generated/fermyon-spin/interfaces/fermyon-spin-redis.js";

// No query parameters: ioredis reads `path` (a Unix socket) and others from the query.
const REDIS: AddressKind = { name: "a Redis connection", defaultPorts: { "redis:": "6379", "rediss:": "6379" } };

type Parameter = { tag: "int64"; val: bigint } | { tag: "binary"; val: Uint8Array };

const callMain = hostCallsOf<RedisHostCalls>();

/** Runs a command through main's shared client; a failure is the interface's `other` error. */
export function runRedis(address: string, command: string, args: RedisCommandArgs["args"]): RedisValue[] {
  return hostCall(
    () => callMain("redis.command", { address, command, args }),
    (message) => witError("other", message) satisfies SpinRedis.Error,
  );
}

function first(values: RedisValue[]): RedisValue {
  return values[0] ?? { tag: "nil" };
}

function integer(values: RedisValue[]): bigint {
  const value = first(values);
  if (value.tag !== "int64") throw witError("type-error") satisfies SpinRedis.Error;
  return value.val;
}

/**
 * `fermyon:spin/redis@2.0.0` for one instance: `Connection.open` takes a `redis://` address the
 * component's `allowed_outbound_hosts` allows; commands go through one client per address on main.
 */
export function spinRedis(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Connection {
      const checked = checkOutboundAddress(address, REDIS, allowed, log);
      if (!checked.ok)
        throw checked.reason === "invalid"
          ? (witError("invalid-address") satisfies SpinRedis.Error)
          : (witError("other", checked.message) satisfies SpinRedis.Error);
      // The checked address, normalised: what ioredis (which reads it with the URL Standard) connects to.
      return new Connection(checked.address);
    }

    publish(channel: string, payload: Uint8Array): void {
      runRedis(this.address, "PUBLISH", [channel, payload]);
    }
    get(key: string): Uint8Array | undefined {
      const value = first(runRedis(this.address, "GET", [key]));
      if (value.tag === "nil") return undefined;
      if (value.tag !== "binary") throw witError("type-error") satisfies SpinRedis.Error;
      return value.val;
    }
    set(key: string, value: Uint8Array): void {
      runRedis(this.address, "SET", [key, value]);
    }
    incr(key: string): bigint {
      return integer(runRedis(this.address, "INCR", [key]));
    }
    del(keys: string[]): number {
      return Number(integer(runRedis(this.address, "DEL", keys)));
    }
    sadd(key: string, values: string[]): number {
      return Number(integer(runRedis(this.address, "SADD", [key, ...values])));
    }
    smembers(key: string): string[] {
      return runRedis(this.address, "SMEMBERS", [key]).flatMap((v) =>
        v.tag === "binary" ? [Buffer.from(v.val).toString()] : [],
      );
    }
    srem(key: string, values: string[]): number {
      return Number(integer(runRedis(this.address, "SREM", [key, ...values])));
    }
    execute(command: string, args: Parameter[]): RedisValue[] {
      return runRedis(
        this.address,
        command,
        args.map((a) => a.val),
      );
    }
  }
  return { Connection } satisfies HostImplementation<typeof SpinRedis>;
}
