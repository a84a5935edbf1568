import type * as z from "zod/mini";

/**
 * A key of a component table that a layer above the manifest owns (a capability's
 * `key_value_stores`). The manifest checks its value against `schema` as it loads (an error names
 * the file, the line and the key, as for its own keys) and keeps it, unread, for its owner
 * (ManifestComponent.capabilityKeys).
 */
export interface ComponentKey<Name extends string = string, Schema extends z.ZodMiniType = z.ZodMiniType> {
  readonly name: Name;
  readonly schema: Schema;
  /** What to write, for an error about its value: `write key_value_stores = ["default"]`. */
  readonly hint: string;
  /** Checks beyond its shape (a variable's name): a problem at a path under the key, or undefined. */
  check?(value: z.infer<Schema>): { at: ReadonlyArray<string | number>; what: string; hint: string } | undefined;
}

/** The values of `Keys` in a component table, as their schemas read them; a key the table lacks is undefined. */
export type ComponentKeyValues<Keys extends readonly ComponentKey[]> = {
  [K in Keys[number] as K["name"]]?: z.infer<K["schema"]>;
};

/** A ComponentKey, its name and schema kept as types (for ComponentKeyValues). */
export function componentKey<const Name extends string, Schema extends z.ZodMiniType>(
  key: ComponentKey<Name, Schema>,
): ComponentKey<Name, Schema> {
  return key;
}
