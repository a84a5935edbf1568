import type Database from "better-sqlite3";

/** Verdicts kept per connection, by statement text: guests send the same few statements again and again. */
const MAX_REMEMBERED = 1000;
const verdicts = new WeakMap<Database.Database, Map<string, string | undefined>>();

/**
 * Why `statement` would reach a file other than the connection's own database, or undefined when
 * it stays within it. A guest granted a SQLite database gets that file and nothing else: `ATTACH`
 * and `VACUUM INTO` name any host path (`VACUUM INTO '/any/path'` wrote a file the guest chose),
 * and `load_extension` is refused by the driver already.
 *
 * The check reads the program SQLite itself compiles for the statement (EXPLAIN), not the SQL
 * text: `ATTACH` is a call of its `sqlite_attach` function, `VACUUM INTO` a Vacuum with a target.
 * Why not SQLite's authorizer or its ATTACHED limit: better-sqlite3 exposes neither (node:sqlite's
 * setAuthorizer needs Node 24). A statement SQLite cannot explain is refused with SQLite's error.
 */
export function reachesOtherFiles(db: Database.Database, statement: string, args: readonly unknown[]): string | undefined {
  let known = verdicts.get(db);
  if (!known) verdicts.set(db, (known = new Map()));
  if (known.has(statement)) return known.get(statement);
  const verdict = explain(db, statement, args);
  if (known.size >= MAX_REMEMBERED) known.clear();
  known.set(statement, verdict);
  return verdict;
}

interface ProgramStep {
  opcode: string;
  p2: number;
  p4: string | null;
}

/** `args` only because SQLite will not run a statement with unbound parameters; the program does not depend on them. */
function explain(db: Database.Database, statement: string, args: readonly unknown[]): string | undefined {
  // What cannot be explained (too few parameters; an EXPLAIN of the guest's own) throws SQLite's error, as running it would.
  const program = db.prepare(`EXPLAIN ${statement}`).all(...args) as ProgramStep[];
  for (const step of program) {
    if ((step.opcode === "Function" || step.opcode === "PureFunc") && /^sqlite_(attach|detach)\(/.test(step.p4 ?? "")) {
      return "ATTACH and DETACH are not allowed: a component reaches its granted databases only";
    }
    if (step.opcode === "Vacuum" && Number(step.p2) !== 0) return "VACUUM INTO is not allowed: it writes a file outside the granted database";
  }
  return undefined;
}
