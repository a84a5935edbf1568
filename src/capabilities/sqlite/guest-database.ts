import { constants, type DatabaseSync, type StatementSync } from "node:sqlite";
import { openFile } from "./open-sqlite.js";

/** What the authorizer saw while SQLite compiled and ran the statement at hand. */
interface Audit {
  refused?: string;
  /** It inserts, updates or deletes rows: Spin's `changes` and `last-insert-rowid` follow it. */
  changesRows: boolean;
}

/** Pragmas that name a host folder for SQLite's files. */
const FILE_PRAGMAS = new Set(["temp_store_directory", "data_store_directory"]);
const ROW_CHANGES = new Set([constants.SQLITE_INSERT, constants.SQLITE_UPDATE, constants.SQLITE_DELETE]);
const SCHEMA_TABLES = new Set(["sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"]);

/**
 * A guest's connection to one granted file, beside the host's own (`openSqlite`). A guest granted
 * a SQLite database reaches that file and nothing else: SQLite's authorizer, asked for every
 * action while a statement compiles (and, for VACUUM INTO, while it runs), refuses `ATTACH` of a
 * file and so `VACUUM INTO`, which attaches its target (a plain `VACUUM` attaches an unnamed
 * temporary database, which stays allowed), the pragmas that name a host folder, and
 * `load_extension` (extensions are off on the connection too).
 */
export class GuestDatabase {
  private audit: Audit = { changesRows: false };
  private handleStatement?: StatementSync;

  private constructor(private readonly db: DatabaseSync) {
    db.setAuthorizer((action, first, second, database) => {
      const refused = refusal(action, first, second);
      if (refused) {
        this.audit.refused = refused;
        return constants.SQLITE_DENY;
      }
      if (ROW_CHANGES.has(action) && database !== null && !SCHEMA_TABLES.has(first ?? ""))
        this.audit.changesRows = true;
      return constants.SQLITE_OK;
    });
  }

  /** One per file per thread, opened on first use. */
  static open(file: string): GuestDatabase {
    let database = connections.get(file);
    if (!database) connections.set(file, (database = new GuestDatabase(openFile(file))));
    return database;
  }

  /**
   * Compiles `sql` and hands it to `use`, which runs it. Throws SQLite's error, or the reason the
   * authorizer refused it in SQLite's terse "not authorized".
   */
  execute<T>(sql: string, use: (statement: StatementSync, changesRows: boolean) => T): T {
    const audit: Audit = (this.audit = { changesRows: false });
    try {
      const statement = this.db.prepare(sql);
      return use(statement, audit.changesRows);
    } catch (error) {
      throw audit.refused ? new Error(audit.refused) : error;
    }
  }

  /** The handle's `changes()` and `last_insert_rowid()`: the handle is shared by the thread's requests. */
  handleState(): { changes: bigint; lastInsertRowid: bigint } {
    this.handleStatement ??= this.db.prepare("SELECT changes() AS changes, last_insert_rowid() AS lastInsertRowid");
    return this.handleStatement.get() as { changes: bigint; lastInsertRowid: bigint };
  }
}

const connections = new Map<string, GuestDatabase>();

function refusal(action: number, first: string | null, second: string | null): string | undefined {
  switch (action) {
    case constants.SQLITE_ATTACH:
      // VACUUM's own scratch database is named '' (a private temporary file). A name SQLite only
      // knows when it runs (a parameter, an expression) comes as null: refused with the rest.
      return first === ""
        ? undefined
        : `ATTACH and VACUUM INTO of a file are not allowed (this one named ${first ?? "a file computed when it runs"}): a component reaches its granted databases only`;
    case constants.SQLITE_PRAGMA:
      return FILE_PRAGMAS.has((first ?? "").toLowerCase())
        ? `PRAGMA ${first} is not allowed: it names a host folder`
        : undefined;
    case constants.SQLITE_FUNCTION:
      return second === "load_extension" ? "load_extension is not allowed: extensions are host code" : undefined;
    default:
      return undefined;
  }
}
