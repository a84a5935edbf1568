import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isWispError } from "../../../src/errors/wisp-error.js";
import { loadCapabilityConfig } from "../../../src/capabilities/runtime-config.js";

const dir = mkdtempSync(join(tmpdir(), "wisp-runtime-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads `text` as a runtime config file of an app in `dir`. */
function load(text: string) {
  const file = join(dir, "runtime-config.toml");
  writeFileSync(file, text);
  return loadCapabilityConfig(file, dir);
}

async function refusal(text: string): Promise<string> {
  const error = await load(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isWispError(error), "the config loaded without an error").toBe(true);
  return (error as Error).message;
}

describe("runtime config files", () => {
  it("map stores and providers, with paths relative to the file", async () => {
    const config = await load(
      '[key_value_store.cache]\ntype = "redis"\nurl = "redis://127.0.0.1:6379"\n[key_value_store.notes]\ntype = "spin"\npath = "notes.db"\n[[variables_provider]]\ntype = "env"\nprefix = "APP"\n',
    );
    expect(config.keyValue.get("cache")).toEqual({ type: "redis", url: "redis://127.0.0.1:6379" });
    expect(config.keyValue.get("notes")).toEqual({ type: "spin", path: join(dir, "notes.db") });
    expect(config.keyValue.has("default")).toBe(true);
    expect(config.variables).toEqual([{ type: "env", prefix: "APP", dotenvPath: undefined }]);
  });

  // Loaded on its own (as `up` can, before any manifest module), it still says what was expected: zod/mini
  // has no messages of its own, only "Invalid input", until the schemas' setup gives it English ones.
  it("refuse a value of the wrong type, saying what the key must be", async () => {
    const message = await refusal('[key_value_store.notes]\ntype = "spin"\npath = 5\n');
    expect(message).toContain("`key_value_store.notes.path`");
    expect(message).toMatch(/expected string, received number/);
  });

  it("refuse a key Wisp does not read, and a redis store without a redis:// URL", async () => {
    expect(await refusal('[key_value_store.notes]\ntype = "spin"\ncolour = "blue"\n')).toContain(
      "`key_value_store.notes.colour` is not supported",
    );
    expect(await refusal('[key_value_store.cache]\ntype = "redis"\nurl = "http://x"\n')).toContain(
      "must be a redis:// or rediss:// URL",
    );
  });

  it("refuse a store path that cannot hold a SQLite database, naming the key and the path", async () => {
    writeFileSync(join(dir, "corrupt.db"), "not a database at all, just text");
    const cases: Array<[string, string]> = [
      [
        '[key_value_store.notes]\ntype = "spin"\npath = "/etc/passwd"\n',
        '`key_value_store.notes.path` is "/etc/passwd": /etc/passwd is not a SQLite database',
      ],
      [
        '[key_value_store.notes]\ntype = "spin"\npath = "missing/notes.db"\n',
        `${join(dir, "missing", "notes.db")} cannot be created: its folder ${join(dir, "missing")} does not exist`,
      ],
      ['[key_value_store.notes]\ntype = "spin"\npath = "/tmp"\n', "/tmp is a folder, not a SQLite file"],
      [
        '[sqlite_database.data]\npath = "/dev/zero"\n',
        '`sqlite_database.data.path` is "/dev/zero": /dev/zero is not a regular file',
      ],
      ['[sqlite_database.data]\npath = "corrupt.db"\n', `${join(dir, "corrupt.db")} is not a SQLite database`],
      ['[sqlite_database.data]\npath = "corrupt.db/inner.db"\n', "a part of its path is a file, not a folder"],
    ];
    for (const [text, expected] of cases) {
      const message = await refusal(text);
      expect(message).toContain(join(dir, "runtime-config.toml"));
      expect(message).toContain(expected);
    }
  });

  it("accept a store path whose file is new, empty or a SQLite database", async () => {
    writeFileSync(join(dir, "empty.db"), "");
    writeFileSync(join(dir, "real.db"), Buffer.concat([Buffer.from("SQLite format 3\0", "latin1"), Buffer.alloc(84)]));
    const config = await load(
      '[key_value_store.a]\ntype = "spin"\npath = "new.db"\n[key_value_store.b]\ntype = "spin"\npath = "empty.db"\n[sqlite_database.c]\npath = "real.db"\n',
    );
    expect(config.keyValue.get("a")).toEqual({ type: "spin", path: join(dir, "new.db") });
    expect(config.sqlite.get("c")).toEqual({ path: join(dir, "real.db") });
  });
});
