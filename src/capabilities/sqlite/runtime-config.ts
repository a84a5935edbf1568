import { resolve } from "node:path";
import * as z from "zod/mini";
import type { RuntimeConfigSection } from "../../runtime-config/section.js";
import "../../schema/zod-setup.js";
import type { SqliteBackend } from "./sqlite-backend.js";

const sqliteDatabaseSchema = z.strictObject({ type: z.optional(z.literal("spin")), path: z.optional(z.string()) });

/** `[sqlite_database.LABEL]`: a SQLite file at `path` (by default in the app's `.wisp/`). Every app has `default`. */
export const sqliteDatabaseSection: RuntimeConfigSection<Map<string, SqliteBackend>> = {
  keys: { sqlite_database: z.record(z.string(), sqliteDatabaseSchema) },
  describe: "[sqlite_database.LABEL] (path)",
  defaults: (appDir) => new Map([["default", { path: resolve(appDir, ".wisp", "sqlite_db.db") }]]),
  async read(values, context, defaults) {
    const databases = new Map(defaults);
    for (const [label, database] of Object.entries(
      (values.sqlite_database ?? {}) as Record<string, z.infer<typeof sqliteDatabaseSchema>>,
    )) {
      databases.set(label, {
        path: database.path
          ? await context.storePath(`sqlite_database.${label}.path`, database.path)
          : resolve(context.appDir, ".wisp", `sqlite_db_${label}.db`),
      });
    }
    return databases;
  },
};
