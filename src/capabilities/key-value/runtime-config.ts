import { resolve } from "node:path";
import * as z from "zod/mini";
import type { RuntimeConfigSection } from "../../runtime-config/section.js";
import "../../schema/zod-setup.js";
import type { KeyValueBackend } from "./store.js";

const keyValueStoreSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("spin"), path: z.optional(z.string()) }),
  z.strictObject({
    type: z.literal("redis"),
    url: z.string().check(z.regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")),
  }),
]);

/**
 * `[key_value_store.LABEL]`: `type = "spin"` (a SQLite file at `path`, by default in the app's
 * `.wisp/`) or `type = "redis"` (`url`). Every app has the store `default`.
 */
export const keyValueStoreSection: RuntimeConfigSection<Map<string, KeyValueBackend>> = {
  keys: { key_value_store: z.record(z.string(), keyValueStoreSchema) },
  describe: '[key_value_store.LABEL] (type = "spin" with path, or type = "redis" with url)',
  defaults: (appDir) => new Map([["default", { type: "spin", path: resolve(appDir, ".wisp", "sqlite_key_value.db") }]]),
  async read(values, context, defaults) {
    const stores = new Map(defaults);
    for (const [label, store] of Object.entries(
      (values.key_value_store ?? {}) as Record<string, z.infer<typeof keyValueStoreSchema>>,
    )) {
      if (store.type === "redis") stores.set(label, { type: "redis", url: store.url });
      else {
        stores.set(label, {
          type: "spin",
          path: store.path
            ? await context.storePath(`key_value_store.${label}.path`, store.path)
            : resolve(context.appDir, ".wisp", `sqlite_key_value_${label}.db`),
        });
      }
    }
    return stores;
  },
};
