/**
 * The `executor = { type = ... }` tables a `[[trigger.http]]` may hold, one per HTTP executor.
 * The manifest's format is the manifest's to check (at load, with its line); what a table means
 * is its executor's: each executor in triggers/http/executors/ points at its table here.
 */
export interface ExecutorTable {
  /** The `type` values that name it; the first is its own name, the others older aliases. */
  readonly types: readonly [string, ...string[]];
  /** For the manifest's hint: what it runs ("for WASI modules"). */
  readonly runs: string;
  /** Its other keys, each an optional string, with the default the manifest fills in (or none). */
  readonly options: Readonly<Record<string, { default?: string }>>;
}

/** wasi:http components: Spin's default executor (`"spin"` is its older name). */
export const WASI_HTTP_TABLE: ExecutorTable = {
  types: ["http", "spin"],
  runs: "for wasi:http components",
  options: {},
};

/** WAGI: a WASI module run as a CGI script. */
export const WAGI_TABLE: ExecutorTable = {
  types: ["wagi"],
  runs: "for WASI modules",
  // Spin's default argv.
  options: { argv: { default: "${SCRIPT_NAME} ${ARGS}" }, entrypoint: {} },
};

/** Every table; the first is the default of a `[[trigger.http]]` without `executor`. */
export const EXECUTOR_TABLES: readonly ExecutorTable[] = [WASI_HTTP_TABLE, WAGI_TABLE];

/** The table a `type` names, or undefined. */
export function executorTableOf(type: string): ExecutorTable | undefined {
  return EXECUTOR_TABLES.find((table) => table.types.includes(type));
}
