import { open, stat } from "node:fs/promises";
import { dirname } from "node:path";

/** Every SQLite database file starts with these 16 bytes (https://www.sqlite.org/fileformat.html). */
const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/**
 * Why the SQLite file of a store (a key-value store of type "spin", a SQLite database) cannot be
 * used, or undefined when it can: checked at start, so a bad one stops `wisp up` naming it instead
 * of failing each guest's first call. Nothing is opened with SQLite and nothing is written: a
 * missing file is fine (it is created on first use), an empty one too (SQLite's new database).
 * `folderMayBeMissing`: the app's own `.wisp/` is created on first use; a folder the runtime
 * config names must exist.
 */
export async function storeFileProblem(
  path: string,
  { folderMayBeMissing }: { folderMayBeMissing: boolean },
): Promise<string | undefined> {
  let stats;
  try {
    stats = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") return "cannot be created: a part of its path is a file, not a folder";
    if (code !== "ENOENT") return `cannot be read (${code ?? (error as Error).message})`;
    return folderProblem(dirname(path), folderMayBeMissing);
  }
  if (stats.isDirectory()) return "is a folder, not a SQLite file";
  if (!stats.isFile()) return "is not a regular file (a device, a pipe or a socket), not a SQLite file";
  if (stats.size === 0) return undefined;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const file = await open(path, "r");
    try {
      await file.read({ buffer: head, position: 0 });
    } finally {
      await file.close();
    }
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  return head.equals(SQLITE_HEADER)
    ? undefined
    : "is not a SQLite database (it does not start with SQLite's header): it is corrupt, or another kind of file";
}

async function folderProblem(folder: string, mayBeMissing: boolean): Promise<string | undefined> {
  try {
    const stats = await stat(folder);
    return stats.isDirectory() ? undefined : `cannot be created: ${folder} is not a folder`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return mayBeMissing ? undefined : `cannot be created: its folder ${folder} does not exist`;
    if (code === "ENOTDIR") return "cannot be created: a part of its path is a file, not a folder";
    return `cannot be created (${code ?? (error as Error).message})`;
  }
}
