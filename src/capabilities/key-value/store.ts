/** What every key-value backend does, synchronously (guests call it from a worker thread). */
export interface KeyValueStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  keys(): string[];
}

/** A store a component is granted: where its data lives (structured-cloneable, sent to workers). */
export type KeyValueBackend = { type: "spin"; path: string } | { type: "redis"; url: string };
