import { awaitBackendCall, backendCall, failureText, witError } from "../guest-errors.js";
import { openAsyncStore, openStore } from "./open-store.js";
import type { AsyncKeyValueStore, KeyValueBackend, KeyValueStore } from "./store.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinKeyValue from "../../generated/fermyon-spin/interfaces/fermyon-spin-key-value.js";

/** A backend's failure as the interface's `other`. */
const other = (error: unknown) => witError("other", failureText(error)) satisfies SpinKeyValue.Error;

/**
 * `fermyon:spin/key-value@2.0.0` for one instance: `Store.open` succeeds only for the labels the
 * component's manifest entry grants (`key_value_stores`); anything else is `access-denied`.
 */
export function spinKeyValue(granted: ReadonlyArray<readonly [string, KeyValueBackend]>) {
  const grants = new Map(granted);
  class Store {
    private constructor(private readonly backend: KeyValueStore) {}

    static open(label: string): Store {
      const backend = grants.get(label);
      if (!backend) throw witError("access-denied") satisfies SpinKeyValue.Error;
      return new Store(backendCall(() => openStore(label, backend), other));
    }

    get(key: string): Uint8Array | undefined {
      return backendCall(() => this.backend.get(key), other);
    }
    set(key: string, value: Uint8Array): void {
      backendCall(() => this.backend.set(key, value), other);
    }
    delete(key: string): void {
      backendCall(() => this.backend.delete(key), other);
    }
    exists(key: string): boolean {
      return backendCall(() => this.backend.exists(key), other);
    }
    getKeys(): string[] {
      return backendCall(() => this.backend.keys(), other);
    }
  }
  return { Store } satisfies HostImplementation<typeof SpinKeyValue>;
}

/** Awaits a backend's call; whatever it throws becomes `other`. */
const awaited = <T>(call: () => Promise<T>): Promise<T> => awaitBackendCall(call, other);

/**
 * `fermyon:spin/key-value@2.0.0` for a suspending guest (see GuestInstance.suspends): the same
 * grants, each store call answering a promise its glue awaits (a store on Redis is then asked
 * without holding the thread). Its `open` opens nothing yet, so it answers at once.
 */
export function spinKeyValueAwaited(granted: ReadonlyArray<readonly [string, KeyValueBackend]>) {
  const grants = new Map(granted);
  class Store {
    private constructor(private readonly backend: AsyncKeyValueStore) {}

    static open(label: string): Store {
      const backend = grants.get(label);
      if (!backend) throw witError("access-denied") satisfies SpinKeyValue.Error;
      return new Store(backendCall(() => openAsyncStore(label, backend), other));
    }

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
    getKeys(): Promise<string[]> {
      return awaited(() => this.backend.keys());
    }
  }
  return { Store };
}
