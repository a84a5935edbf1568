/**
 * An `executor = { type = ... }` table a `[[trigger.http]]` may hold. Each HTTP executor declares
 * its own (triggers/http/executors/) and the app gives them to the manifest (see
 * ManifestExtensions), which checks a table's format as it loads, with its line; what the options
 * mean is the executor's.
 */
export interface ExecutorTable {
  /** The `type` values that name it; the first is its own name, the others older aliases. */
  readonly types: readonly [string, ...string[]];
  /** For the manifest's hint: what it runs ("for WASI modules"). */
  readonly runs: string;
  /** Its other keys, each an optional string, with the default the manifest fills in (or none). */
  readonly options: Readonly<Record<string, { default?: string }>>;
}
