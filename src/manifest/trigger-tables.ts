import type * as z from "zod/mini";

/**
 * A trigger type's `[[trigger.<type>]]` tables, as the trigger that runs them declares them (see
 * ManifestExtensions): the manifest reads what every trigger table has (`id`, and `component`, an
 * id or an inline component) and checks the trigger's own keys with their schemas as it loads,
 * with the line; the trigger reads them (TriggerEntry.config) when it plans.
 */
export interface TriggerTable {
  /** `[[trigger.<type>]]`. */
  readonly type: string;
  /** Its keys besides `id` and `component`, each with its schema (`z.optional` for one it may leave out). */
  readonly keys: Readonly<Record<string, z.ZodMiniType>>;
  /** What to write for a bad value of one of its keys (or of a key inside them), by key. */
  readonly hints?: Readonly<Record<string, string>>;
  /** Keys Spin reads in these tables that Wisp does not support: what each is, and what to do instead. */
  readonly unsupported?: ReadonlyArray<{ key: string; what: string; hint: string }>;
  /**
   * Checks beyond the keys' shapes, once a table is read and before its component is looked up:
   * a problem at a path under the table (`["route"]`, or `[]` for the table), or undefined.
   */
  check?(table: TriggerTableValue): { at: ReadonlyArray<string | number>; what: string; hint: string } | undefined;
}

/** A `[[trigger.<type>]]` table as its schema read it: `component` an id or an inline component table. */
export type TriggerTableValue = { id?: string; component?: unknown } & Readonly<Record<string, unknown>>;
