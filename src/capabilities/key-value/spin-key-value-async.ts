import { awaitBackendCall, failureText, witErr, witError, witOk } from "../guest-errors.js";
import { openAsyncStore } from "./open-store.js";
import type { AsyncKeyValueStore, KeyValueBackend } from "./store.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinKeyValue from "../../generated/spin-key-value@3.0.0/interfaces/spin-key-value-key-value.js";

/** A backend's failure as the interface's `other`. */
const other = (error: unknown) => witError("other", failureText(error)) satisfies SpinKeyValue.Error;

/** Awaits a backend's call; whatever it throws becomes `other`. */
const backend = <T>(call: () => Promise<T>): Promise<T> => awaitBackendCall(call, other);

/**
 * `spin:key-value/key-value@3.0.0` (Spin 4) for one instance: 2.0's interface with every
 * function async, and the keys handed over as a stream. `Store.open` succeeds only for the
 * labels the component's manifest entry grants (`key_value_stores`); anything else is
 * `access-denied`, as in 2.0. The stores are 2.0's (one per label and thread), so both versions
 * see the same data.
 */
export function spinKeyValueAsync(granted: ReadonlyArray<readonly [string, KeyValueBackend]>) {
  const grants = new Map(granted);
  class Store {
    private constructor(private readonly store: AsyncKeyValueStore) {}

    static async open(label: string): Promise<Store> {
      const granted = grants.get(label);
      if (!granted) throw witError("access-denied") satisfies SpinKeyValue.Error;
      return new Store(await backend(() => Promise.resolve(openAsyncStore(label, granted))));
    }

    get(key: string): Promise<Uint8Array | undefined> {
      return backend(() => this.store.get(key));
    }
    set(key: string, value: Uint8Array): Promise<void> {
      return backend(() => this.store.set(key, value));
    }
    delete(key: string): Promise<void> {
      return backend(() => this.store.delete(key));
    }
    exists(key: string): Promise<boolean> {
      return backend(() => this.store.exists(key));
    }
    /**
     * The keys as a stream, and a future of whether all were given: a backend's failure ends the
     * stream early and is the future's `other`, as Spin 4 reports it.
     */
    async getKeys(): Promise<[ReadableStream<string>, Promise<SpinKeyValue.Result<void, SpinKeyValue.Error>>]> {
      let keys: string[] = [];
      let failure: SpinKeyValue.Error | undefined;
      try {
        keys = await this.store.keys();
      } catch (error) {
        failure = other(error);
      }
      const listed = Promise.resolve(failure ? witErr(failure) : witOk(undefined));
      const stream = new ReadableStream<string>({
        start(controller) {
          for (const key of keys) controller.enqueue(key);
          controller.close();
        },
      });
      return [stream, listed];
    }
  }
  return { Store } satisfies HostImplementation<typeof SpinKeyValue>;
}
