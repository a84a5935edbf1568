import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import { componentKey } from "../../manifest/index.js";
import type { Capability } from "../capability.js";
import { checkStoreFiles, grantLabels, type StoreKind } from "../labelled-stores.js";
import { sqliteDatabaseSection } from "./runtime-config.js";
import type { SqliteBackend } from "./sqlite-backend.js";

const DATABASES: StoreKind = { what: "SQLite database", manifestKey: "sqlite_databases", section: "sqlite_database" };
const KEYS = [
  componentKey({
    name: "sqlite_databases",
    schema: z.array(z.string()),
    hint: 'list the labels of the databases it opens, e.g. sqlite_databases = ["default"]',
  }),
] as const;

/** SQLite databases: a component opens the labels its `sqlite_databases` grants, each a file confined by SQLite's authorizer. */
export const sqlite: Capability<Array<[string, SqliteBackend]>, Map<string, SqliteBackend>, typeof KEYS> = {
  name: "sqlite",
  // spin:sqlite@3.1.0 (Spin 4) adds async functions to 3.0.0's: the one object serves both.
  interfaces: { "fermyon:spin/sqlite": "fermyon:spin@2.0.0", "spin:sqlite/sqlite": "spin:sqlite@3.1.0" },
  // The database is a file the worker reads itself: nothing waits on main.
  suspending: { "fermyon:spin/sqlite": [], "spin:sqlite/sqlite": [] },
  manifestKeys: KEYS,
  runtimeConfig: sqliteDatabaseSection,
  grant: (component, app, keys) =>
    grantLabels(keys.sqlite_databases ?? [], app.config, DATABASES, {
      manifestFile: app.manifestFile,
      componentId: component.id,
    }),
  noGrant: () => [],
  checkGrants: (grants, manifestFile) =>
    checkStoreFiles(
      grants.flatMap(([componentId, databases]) =>
        databases.map(([label, backend]) => ({ componentId, label, path: backend.path })),
      ),
      DATABASES,
      manifestFile,
    ),
  guestImports: async () => (await import("./guest-imports.js")).sqliteImports,
};
