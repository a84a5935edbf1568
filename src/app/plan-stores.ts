import { WispError } from "../errors/wisp-error.js";
import { storeFileProblem } from "../runtime-config/store-file.js";
import type { ServePlan } from "./serve-plan.js";

/**
 * Refuses at start a plan whose components are granted a SQLite store that cannot be used (a
 * corrupt file, a folder, a device): otherwise each guest's first call would fail with SQLite's
 * "file is not a database" and the server's log would name nothing. The runtime config's own
 * paths were checked as it loaded (naming their keys); this covers the app's defaults in `.wisp/`.
 */
export async function checkStoreFiles(plan: ServePlan, manifestFile: string): Promise<void> {
  const seen = new Set<string>();
  for (const component of plan.components) {
    const files = [
      ...component.keyValueStores.flatMap(([label, backend]) => (backend.type === "spin" ? [{ label, path: backend.path, key: "key_value_stores", what: "key-value store" }] : [])),
      ...component.sqliteDatabases.map(([label, backend]) => ({ label, path: backend.path, key: "sqlite_databases", what: "SQLite database" })),
    ];
    for (const file of files) {
      if (seen.has(file.path)) continue;
      seen.add(file.path);
      const problem = await storeFileProblem(file.path, { folderMayBeMissing: true });
      if (!problem) continue;
      throw new WispError("RUNTIME_CONFIG_INVALID",
        `${manifestFile}: component ${component.id} is granted the ${file.what} "${file.label}" (\`${file.key}\`), whose file ${file.path} ${problem}`,
        "move the file away (Wisp starts a new, empty one) or restore it from a backup; another place for it can be set in a runtime config file (--runtime-config-file)");
    }
  }
}
