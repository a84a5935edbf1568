/**
 * Host interfaces the capabilities serve, as jco's glue names them: unversioned, but for an
 * interface served in more than one version, whose versions differ (a name with `@` here makes
 * the glue ask for that version by its own name; see prepare-component). The versions:
 * fermyon:spin@2.0.0 (Spin's JavaScript, Rust 3.x and Go SDKs), and what Spin 3 adds:
 * spin:sqlite@3.0.0, spin:postgres@3.0.0 and @4.0.0, wasi:keyvalue@0.2.0-draft2,
 * wasi:config@0.2.0-draft-2024-09-27.
 */
export const CAPABILITY_INTERFACES: ReadonlySet<string> = new Set([
  "fermyon:spin/variables", "fermyon:spin/key-value", "fermyon:spin/sqlite", "fermyon:spin/redis",
  "fermyon:spin/postgres", "fermyon:spin/mysql", "fermyon:spin/rdbms-types", "fermyon:spin/mqtt",
  "spin:sqlite/sqlite", "spin:postgres/postgres@3.0.0", "spin:postgres/postgres@4.0.0",
  "wasi:keyvalue/store", "wasi:keyvalue/atomics", "wasi:keyvalue/batch", "wasi:config/store",
]);
