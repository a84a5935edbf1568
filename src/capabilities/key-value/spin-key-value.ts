import { openStore } from "./open-store.js";
import type { KeyValueBackend, KeyValueStore } from "./store.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinKeyValue from "../../generated/fermyon-spin/interfaces/fermyon-spin-key-value.js";

/** Host errors as the interface's `error` variant (jco takes a thrown variant as the err case). */
function other(error: unknown): never {
  throw { tag: "other", val: (error as Error).message ?? String(error) };
}

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
      if (!backend) throw { tag: "access-denied" };
      try {
        return new Store(openStore(label, backend));
      } catch (error) {
        return other(error);
      }
    }

    get(key: string): Uint8Array | undefined {
      try {
        return this.backend.get(key);
      } catch (error) {
        return other(error);
      }
    }
    set(key: string, value: Uint8Array): void {
      try {
        this.backend.set(key, value);
      } catch (error) {
        other(error);
      }
    }
    delete(key: string): void {
      try {
        this.backend.delete(key);
      } catch (error) {
        other(error);
      }
    }
    exists(key: string): boolean {
      try {
        return this.backend.exists(key);
      } catch (error) {
        return other(error);
      }
    }
    getKeys(): string[] {
      try {
        return this.backend.keys();
      } catch (error) {
        return other(error);
      }
    }
  }
  return { Store } satisfies HostImplementation<typeof SpinKeyValue>;
}
