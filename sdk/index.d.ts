// Types of @wisp/sdk, Wisp's helpers over the capabilities a manifest grants a component.
// Import each from its own path, so a component imports only the host interfaces it uses.

declare module "@wisp/sdk/kv" {
  export interface KeyValueStore {
    get(key: string): Uint8Array | undefined;
    getText(key: string): string | undefined;
    getJson<T = unknown>(key: string): T | undefined;
    /** A string or bytes are stored as they are; anything else as JSON. */
    set(key: string, value: Uint8Array | string | unknown): void;
    delete(key: string): void;
    exists(key: string): boolean;
    keys(): string[];
  }
  export const kv: {
    /** A store the manifest grants (`key_value_stores`); throws `{ payload: { tag: "access-denied" } }` otherwise. */
    open(label?: string): KeyValueStore;
  };
}

declare module "@wisp/sdk/variables" {
  export const variables: {
    /** A variable the manifest grants this component; throws for any other name. */
    get(name: string): string;
  };
}

declare module "@wisp/sdk/sqlite" {
  export type SqlValue = string | number | bigint | Uint8Array | null;
  export interface SqlResult {
    columns: string[];
    rows: Array<Record<string, SqlValue>>;
  }
  export const sqlite: {
    /** A database the manifest grants (`sqlite_databases`). */
    open(label?: string): { execute(sql: string, params?: SqlValue[]): SqlResult };
  };
}
