import { RedisKeyValue } from "./redis-store.js";
import { SqliteKeyValue } from "./sqlite-store.js";
import type { KeyValueBackend, KeyValueStore } from "./store.js";

const stores = new Map<string, KeyValueStore>();

/**
 * The store behind a label; each backend is opened once per worker thread and shared by every
 * interface that reaches it (fermyon:spin/key-value and wasi:keyvalue see the same data).
 */
export function openStore(label: string, backend: KeyValueBackend): KeyValueStore {
  const id = `${backend.type === "spin" ? backend.path : backend.url}\u0000${label}`;
  let store = stores.get(id);
  if (!store) {
    // Spin keeps every label of one SQLite file apart with its `store` column; the label is the store.
    store = backend.type === "spin" ? new SqliteKeyValue(backend.path, label) : new RedisKeyValue(backend.url);
    stores.set(id, store);
  }
  return store;
}
