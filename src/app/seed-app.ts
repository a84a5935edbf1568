import { readFile } from "node:fs/promises";
import { SqliteKeyValue } from "../capabilities/key-value/sqlite-store.js";
import { openSqlite } from "../capabilities/sqlite/open-sqlite.js";
import { WispError } from "../errors/wisp-error.js";
import { loadCapabilityConfig } from "../capabilities/runtime-config.js";

/* What `wisp up` puts into an app's default stores before serving (Spin's --key-value and --sqlite). */

/** `--sqlite`: statements (or `@file.sql`) run in order on the app's default database, as Spin does. */
export async function runSqlOnDefaultDatabase(
  appDir: string,
  runtimeConfigFile: string | undefined,
  statements: string[],
): Promise<void> {
  const db = openSqlite((await loadCapabilityConfig(runtimeConfigFile, appDir)).sqlite.get("default")!.path);
  for (const statement of statements) {
    const sql = statement.startsWith("@")
      ? await readFile(statement.slice(1), "utf8").catch(() => {
          throw new WispError(
            "USAGE",
            `--sqlite ${statement}: cannot read ${statement.slice(1)}`,
            "give the path of a .sql file after @",
          );
        })
      : statement;
    try {
      db.exec(sql);
    } catch (error) {
      throw new WispError("USAGE", `--sqlite ${statement}: ${(error as Error).message}`, "fix the SQL");
    }
  }
}

/** `--key-value KEY=VALUE`: written to the app's default store (wherever it lives) before the first request. */
export async function seedDefaultStore(
  appDir: string,
  runtimeConfigFile: string | undefined,
  pairs: string[],
): Promise<void> {
  const backend = (await loadCapabilityConfig(runtimeConfigFile, appDir)).keyValue.get("default")!;
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0)
      throw new WispError("USAGE", `--key-value ${pair} is not KEY=VALUE`, "for example --key-value greeting=hello");
    const [key, value] = [pair.slice(0, eq), new TextEncoder().encode(pair.slice(eq + 1))];
    if (backend.type === "spin") new SqliteKeyValue(backend.path, "default").set(key, value);
    else {
      const redis = await import("../capabilities/redis/redis-clients.js");
      await redis.redisCommand({ address: backend.url, command: "SET", args: [key, value] });
      await redis.closeRedisClients();
    }
  }
}
