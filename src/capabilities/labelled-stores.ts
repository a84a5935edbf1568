import { WispError } from "../errors/wisp-error.js";
import { storeFileProblem } from "../runtime-config/store-file.js";

/** How a capability with labelled stores (key-value stores, SQLite databases) names them in errors. */
export interface StoreKind {
  /** "key-value store" */
  what: string;
  /** The manifest key that grants them: "key_value_stores". */
  manifestKey: string;
  /** The runtime config section that defines them: "key_value_store". */
  section: string;
}

/** Labels a component is granted: each must be `default` or defined by the runtime config. */
export function grantLabels<T>(
  labels: readonly string[],
  defined: ReadonlyMap<string, T>,
  kind: StoreKind,
  where: { manifestFile: string; componentId: string },
): Array<[string, T]> {
  return labels.map((label) => {
    const backend = defined.get(label);
    if (!backend) {
      throw new WispError(
        "GRANT_INVALID",
        `${where.manifestFile}: component ${where.componentId} is granted ${kind.what} "${label}", which no runtime config defines`,
        `define [${kind.section}.${label}] in a runtime config file (--runtime-config-file), or use the "default" one`,
      );
    }
    return [label, backend];
  });
}

/**
 * Refuses at start a granted store whose SQLite file cannot be used (a corrupt file, a folder, a
 * device): otherwise each guest's first call would fail with SQLite's "file is not a database"
 * and the server's log would name nothing. The runtime config's own paths were checked as it
 * loaded (naming their keys); this covers the app's defaults in `.wisp/`.
 */
export async function checkStoreFiles(
  files: ReadonlyArray<{ componentId: string; label: string; path: string }>,
  kind: StoreKind,
  manifestFile: string,
): Promise<void> {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const problem = await storeFileProblem(file.path, { folderMayBeMissing: true });
    if (!problem) continue;
    throw new WispError(
      "RUNTIME_CONFIG_INVALID",
      `${manifestFile}: component ${file.componentId} is granted the ${kind.what} "${file.label}" (\`${kind.manifestKey}\`), whose file ${file.path} ${problem}`,
      "move the file away (Wisp starts a new, empty one) or restore it from a backup; another place for it can be set in a runtime config file (--runtime-config-file)",
    );
  }
}
