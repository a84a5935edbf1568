import { AsyncRedisKeyValue, RedisKeyValue } from "./redis-store.js";
import { SqliteKeyValue } from "./sqlite-store.js";
import type { AsyncKeyValueStore, KeyValueBackend, KeyValueStore } from "./store.js";

const stores = new Map<string, KeyValueStore>();
const asyncStores = new Map<string, AsyncKeyValueStore>();

const storeId = (label: string, backend: KeyValueBackend) =>
  `${backend.type === "spin" ? backend.path : backend.url}\u0000${label}`;

/**
 * The store behind a label; each backend is opened once per worker thread and shared by every
 * interface that reaches it (fermyon:spin/key-value and wasi:keyvalue see the same data).
 */
export function openStore(label: string, backend: KeyValueBackend): KeyValueStore {
  const id = storeId(label, backend);
  let store = stores.get(id);
  if (!store) {
    // Spin keeps every label of one SQLite file apart with its `store` column; the label is the store.
    store = backend.type === "spin" ? new SqliteKeyValue(backend.path, label) : new RedisKeyValue(backend.url);
    stores.set(id, store);
  }
  return store;
}

/**
 * The same store for Spin 4's async interface: Redis's calls awaited (main answers while the
 * thread runs the guest's other tasks); SQLite's, local and short, made as they are.
 */
export function openAsyncStore(label: string, backend: KeyValueBackend): AsyncKeyValueStore {
  const id = storeId(label, backend);
  let store = asyncStores.get(id);
  if (!store) {
    if (backend.type === "redis") store = new AsyncRedisKeyValue(backend.url);
    else {
      const local = openStore(label, backend);
      const later = <T>(call: () => T): Promise<T> => Promise.resolve().then(call);
      store = {
        get: (key) => later(() => local.get(key)),
        set: (key, value) => later(() => local.set(key, value)),
        delete: (key) => later(() => local.delete(key)),
        exists: (key) => later(() => local.exists(key)),
        increment: (key, delta) => later(() => local.increment(key, delta)),
        compareAndSwap: (key, expected, value) => later(() => local.compareAndSwap(key, expected, value)),
        keys: () => later(() => local.keys()),
      };
    }
    asyncStores.set(id, store);
  }
  return store;
}
