import { awaitBackendCall, backendCall, failureText, witError } from "../guest-errors.js";
import { openAsyncStore, openStore } from "./open-store.js";
import type { AsyncKeyValueStore, KeyValueBackend, KeyValueStore } from "./store.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as WasiAtomics from "../../generated/wasi-keyvalue/interfaces/wasi-keyvalue-atomics.js";
import type * as WasiBatch from "../../generated/wasi-keyvalue/interfaces/wasi-keyvalue-batch.js";
import type * as WasiStore from "../../generated/wasi-keyvalue/interfaces/wasi-keyvalue-store.js";

/** wasi:keyvalue's `error` variant, as jco lowers a thrown value into the err case. */
type StoreError = WasiStore.Error;

/** A backend's failure as the interface's `other`. */
function other(error: unknown): StoreError {
  return witError("other", failureText(error));
}

/** Runs a backend call; a backend failure becomes the interface's `other`, never a trap. */
function attempt<T>(call: () => T): T {
  return backendCall(call, other);
}

/**
 * `wasi:keyvalue@0.2.0-draft2` (store, atomics, batch) for one component, over the same stores
 * and grants as Spin's key-value interface: `open` succeeds only for the labels its
 * `key_value_stores` grants; anything else is `access-denied`.
 */
export function wasiKeyValue(granted: ReadonlyArray<readonly [string, KeyValueBackend]>) {
  const grants = new Map(granted);

  class Bucket {
    constructor(readonly backend: KeyValueStore) {}

    get(key: string): Uint8Array | undefined {
      return attempt(() => this.backend.get(key));
    }
    set(key: string, value: Uint8Array): void {
      attempt(() => this.backend.set(key, value));
    }
    delete(key: string): void {
      attempt(() => this.backend.delete(key));
    }
    exists(key: string): boolean {
      return attempt(() => this.backend.exists(key));
    }
    /** Every key in one page, as Spin answers: no cursor is ever handed out. */
    listKeys(_cursor: string | undefined): { keys: string[]; cursor: undefined } {
      return { keys: attempt(() => this.backend.keys()), cursor: undefined };
    }
  }

  function open(identifier: string): Bucket {
    const backend = grants.get(identifier);
    if (!backend) throw witError("access-denied") satisfies StoreError;
    return new Bucket(attempt(() => openStore(identifier, backend)));
  }

  /** A compare-and-swap in progress: `current` remembers what `swap` must still find there. */
  class Cas {
    private seen: { value: Uint8Array | undefined } | undefined;

    private constructor(
      readonly bucket: Bucket,
      readonly key: string,
    ) {}

    static new(bucket: Bucket, key: string): Cas {
      return new Cas(bucket, key);
    }
    current(): Uint8Array | undefined {
      const value = this.bucket.get(this.key);
      this.seen = { value };
      return value;
    }
    /** What `swap` compares against: the value `current` read, or, if it was never called, the value now. */
    expected(): Uint8Array | undefined {
      return (this.seen ?? { value: this.bucket.get(this.key) }).value;
    }
  }

  const atomics = {
    Cas,
    increment(bucket: Bucket, key: string, delta: bigint): bigint {
      return attempt(() => bucket.backend.increment(key, delta));
    },
    swap(cas: Cas, value: Uint8Array): void {
      const swapped = backendCall(
        () => cas.bucket.backend.compareAndSwap(cas.key, cas.expected(), value),
        (error) => witError("store-error", other(error)) satisfies WasiAtomics.CasError,
      );
      if (!swapped) throw witError("cas-failed", cas) satisfies WasiAtomics.CasError;
    },
  } satisfies HostImplementation<typeof WasiAtomics>;

  const batch = {
    getMany(bucket: Bucket, keys: string[]): Array<[string, Uint8Array | undefined]> {
      return keys.map((key) => [key, bucket.get(key)]);
    },
    setMany(bucket: Bucket, keyValues: Array<[string, Uint8Array]>): void {
      for (const [key, value] of keyValues) bucket.set(key, value);
    },
    deleteMany(bucket: Bucket, keys: string[]): void {
      for (const key of keys) bucket.delete(key);
    },
  } satisfies HostImplementation<typeof WasiBatch>;

  return { store: { open, Bucket } satisfies HostImplementation<typeof WasiStore>, atomics, batch };
}

/** Awaits a backend's call; whatever it throws becomes `other`. */
const awaited = <T>(call: () => Promise<T>): Promise<T> => awaitBackendCall(call, other);

/**
 * `wasi:keyvalue@0.2.0-draft2` for a suspending guest (see GuestInstance.suspends): the same
 * grants and answers as wasiKeyValue, each call that reaches the store answering a promise its
 * glue awaits (a store on Redis is then asked without holding the thread). `open` and
 * `cas.new` reach nothing yet, so they answer at once.
 */
export function wasiKeyValueAwaited(granted: ReadonlyArray<readonly [string, KeyValueBackend]>) {
  const grants = new Map(granted);

  class Bucket {
    constructor(readonly backend: AsyncKeyValueStore) {}

    get(key: string): Promise<Uint8Array | undefined> {
      return awaited(() => this.backend.get(key));
    }
    set(key: string, value: Uint8Array): Promise<void> {
      return awaited(() => this.backend.set(key, value));
    }
    delete(key: string): Promise<void> {
      return awaited(() => this.backend.delete(key));
    }
    exists(key: string): Promise<boolean> {
      return awaited(() => this.backend.exists(key));
    }
    /** Every key in one page, as Spin answers: no cursor is ever handed out. */
    async listKeys(_cursor: string | undefined): Promise<{ keys: string[]; cursor: undefined }> {
      return { keys: await awaited(() => this.backend.keys()), cursor: undefined };
    }
  }

  function open(identifier: string): Bucket {
    const backend = grants.get(identifier);
    if (!backend) throw witError("access-denied") satisfies StoreError;
    return new Bucket(backendCall(() => openAsyncStore(identifier, backend), other));
  }

  /** A compare-and-swap in progress: `current` remembers what `swap` must still find there. */
  class Cas {
    private seen: { value: Uint8Array | undefined } | undefined;

    private constructor(
      readonly bucket: Bucket,
      readonly key: string,
    ) {}

    static new(bucket: Bucket, key: string): Cas {
      return new Cas(bucket, key);
    }
    async current(): Promise<Uint8Array | undefined> {
      const value = await this.bucket.get(this.key);
      this.seen = { value };
      return value;
    }
    /** What `swap` compares against: the value `current` read, or, if it was never called, the value now. */
    async expected(): Promise<Uint8Array | undefined> {
      return this.seen ? this.seen.value : this.bucket.get(this.key);
    }
  }

  const atomics = {
    Cas,
    increment(bucket: Bucket, key: string, delta: bigint): Promise<bigint> {
      return awaited(() => bucket.backend.increment(key, delta));
    },
    async swap(cas: Cas, value: Uint8Array): Promise<void> {
      const expected = await cas.expected();
      const swapped = await awaitBackendCall(
        () => cas.bucket.backend.compareAndSwap(cas.key, expected, value),
        (error) => witError("store-error", other(error)) satisfies WasiAtomics.CasError,
      );
      // The Cas handed back is this host's own, whose `current` the glue awaits.
      if (!swapped) throw witError("cas-failed", cas);
    },
  };

  const batch = {
    async getMany(bucket: Bucket, keys: string[]): Promise<Array<[string, Uint8Array | undefined]>> {
      const values = await Promise.all(keys.map((key) => bucket.get(key)));
      return keys.map((key, i) => [key, values[i]]);
    },
    async setMany(bucket: Bucket, keyValues: Array<[string, Uint8Array]>): Promise<void> {
      for (const [key, value] of keyValues) await bucket.set(key, value);
    },
    async deleteMany(bucket: Bucket, keys: string[]): Promise<void> {
      for (const key of keys) await bucket.delete(key);
    },
  };

  return { store: { open, Bucket }, atomics, batch };
}
