import { describe, expect, it } from "vitest";
import type { HostImplementation, UnversionedImports } from "../../../../src/engine/component/host-implementation.js";
import type * as Variables from "../../../../src/generated/fermyon-spin/interfaces/fermyon-spin-variables.js";
import type * as KeyValue from "../../../../src/generated/fermyon-spin/interfaces/fermyon-spin-key-value.js";
import type * as Batch from "../../../../src/generated/wasi-keyvalue/interfaces/wasi-keyvalue-batch.js";
import type { ImportObject as WasiConfigWorld } from "../../../../src/generated/wasi-config/world.js";

// What these tests check is checked by `npm run typecheck`: each `@ts-expect-error` must meet an
// error, so a HostImplementation that stopped rejecting these hosts fails the typecheck.

/** A host resource as Wisp writes one: private state, a constructor the glue never calls. */
class Store {
  private constructor(private readonly entries: Map<string, Uint8Array>) {}
  static open(_label: string): Store {
    return new Store(new Map());
  }
  get(key: string): Uint8Array | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: Uint8Array): void {
    this.entries.set(key, value);
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
  exists(key: string): boolean {
    return this.entries.has(key);
  }
  getKeys(): string[] {
    return [...this.entries.keys()];
  }
}

/** wasi:keyvalue's bucket as a host writes it: the interface's methods, and state the host reads back. */
class Bucket {
  constructor(readonly backend: Map<string, Uint8Array>) {}
  get(key: string): Uint8Array | undefined {
    return this.backend.get(key);
  }
  set(key: string, value: Uint8Array): void {
    this.backend.set(key, value);
  }
  delete(key: string): void {
    this.backend.delete(key);
  }
  exists(key: string): boolean {
    return this.backend.has(key);
  }
  listKeys(_cursor: string | undefined): { keys: string[]; cursor: undefined } {
    return { keys: [...this.backend.keys()], cursor: undefined };
  }
}

describe("HostImplementation: a host typed against its generated WIT types", () => {
  it("accepts a complete host, its resources its own classes", () => {
    const variables = { get: (name: string) => name } satisfies HostImplementation<typeof Variables>;
    const keyValue = { Store } satisfies HostImplementation<typeof KeyValue>;
    // A resource passed back in is the host's own object at run time: a host function may say so.
    const batch = {
      getMany: (bucket: Bucket, keys: string[]): Array<[string, Uint8Array | undefined]> =>
        keys.map((k) => [k, bucket.backend.get(k)]),
      setMany: (bucket: Bucket, keyValues: Array<[string, Uint8Array]>) =>
        keyValues.forEach(([k, v]) => bucket.backend.set(k, v)),
      deleteMany: (bucket: Bucket, keys: string[]) => keys.forEach((k) => bucket.backend.delete(k)),
    } satisfies HostImplementation<typeof Batch>;
    expect([variables, keyValue, batch].length).toBe(3);
  });

  it("rejects a missing, misspelled or mistyped function", () => {
    // @ts-expect-error: `get` is missing
    const missing = {} satisfies HostImplementation<typeof Variables>;
    // @ts-expect-error: `gett` is not in the interface (and `get` is missing)
    const misspelled = { gett: (name: string) => name } satisfies HostImplementation<typeof Variables>;
    // @ts-expect-error: `get` answers a string, not a number
    const mistyped = { get: (_name: string) => 1 } satisfies HostImplementation<typeof Variables>;
    expect([missing, misspelled, mistyped].length).toBe(3);
  });

  it("rejects a resource that lacks a method or a static function", () => {
    class NoKeys {
      static open(_label: string): NoKeys {
        return new NoKeys();
      }
      get(_key: string): Uint8Array | undefined {
        return undefined;
      }
      set(_key: string, _value: Uint8Array): void {}
      delete(_key: string): void {}
      exists(_key: string): boolean {
        return false;
      }
    }
    class NoOpen {}
    // @ts-expect-error: Store has no getKeys
    const noKeys = { Store: NoKeys } satisfies HostImplementation<typeof KeyValue>;
    // @ts-expect-error: Store has no static open
    const noOpen = { Store: NoOpen } satisfies HostImplementation<typeof KeyValue>;
    expect([noKeys, noOpen].length).toBe(2);
  });

  it("keys a world's imports by interface name without version, as Wisp hands them to the glue", () => {
    const config = { get: (_key: string): string | undefined => undefined, getAll: (): Array<[string, string]> => [] };
    const imports = { "wasi:config/store": config } satisfies UnversionedImports<WasiConfigWorld>;
    // @ts-expect-error: an interface the world imports is missing
    const none = {} satisfies UnversionedImports<WasiConfigWorld>;
    expect([imports, none].length).toBe(2);
  });
});
