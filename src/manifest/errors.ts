import type * as z from "zod/mini";
import { WispError } from "../errors/wisp-error.js";
import { keysAt, type ManifestSchemas } from "./schema.js";
import { keyPath, lineOf } from "./source-lines.js";
import { nearest } from "./suggest.js";

export type KeyPathParts = ReadonlyArray<string | number>;

const REFERENCE_HINT =
  "see the manifest reference in Wisp's README.md, or Spin's at https://spinframework.dev/manifest-reference";

/** What to do about a bad value, by its key, where there is more to say than the reference. */
const KEY_HINTS: Record<string, string> = {
  digest: 'compute it with `sha256sum FILE.wasm` (or `shasum -a 256`) and write digest = "sha256:<the 64 hex digits>"',
  url: 'write the address the component downloads from, e.g. url = "https://example.com/app.wasm"',
  source: "point it at the component's .wasm, relative to the manifest's folder: source = \"target/app.wasm\"",
  files: 'list globs and mappings, e.g. files = ["static/**/*", { source = "assets", destination = "/assets" }]',
  command: 'write command = "npm run build", or a list of commands run in order',
};

/**
 * Makes the errors of one manifest: every message starts `<file>:<line>: \`<key path>\``, the line
 * found on a best-effort basis, and every error carries a hint that says what to do.
 */
export class ManifestErrors {
  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly schemas: ManifestSchemas,
  ) {}

  /** `<file>:<line>: \`<path>\` <what>`, with `hint`. */
  invalid(path: KeyPathParts, what: string, hint: string): WispError {
    const line = lineOf(this.text, path);
    return new WispError(
      "MANIFEST_INVALID",
      `${this.file}${line ? `:${line}` : ""}: \`${keyPath(path)}\` ${what}`,
      hint,
    );
  }

  /**
   * Validates `value` (found at `base` in the manifest) and turns zod's first issue into an error
   * about the TOML key. A whole document (`base` empty) is checked against `schema`, whose keys are
   * then the ones suggested (a version 1 manifest has keys of its own).
   */
  check<T extends z.ZodMiniType>(schema: T, value: unknown, base: KeyPathParts = []): z.infer<T> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    this.root = base.length === 0 ? schema : undefined;
    throw this.fromIssue(result.error.issues[0]!, value, base);
  }

  /** The schema whose keys are suggested (see keysAt): the document's being checked, else the manifest's. */
  private root: unknown;

  private fromIssue(issue: z.core.$ZodIssue, root: unknown, base: KeyPathParts): WispError {
    const relative = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const path = [...base, ...relative];
    const value = valueAt(root, relative);
    if (issue.code === "unrecognized_keys") return this.unknownKey(path, issue.keys[0]!);
    if (value === undefined) {
      const key = path.at(-1);
      // `sorce` for `source`: the key written is the error to show, not the one missing.
      const misspelt =
        typeof key === "string"
          ? this.misspelling(valueAt(root, relative.slice(0, -1)), path.slice(0, -1), key)
          : undefined;
      if (misspelt !== undefined) return this.unknownKey(path.slice(0, -1), misspelt);
      const expected = issue.code === "invalid_type" ? issue.expected : "string";
      // A key missing from an inline table (the executor's `type`) is best explained by the table's hint.
      const parent = path.at(-2);
      const parentHint = path[0] === "trigger" && typeof parent === "string" ? this.hintFor(parent) : undefined;
      return this.invalid(
        path,
        "is missing",
        parentHint ??
          (typeof key !== "string"
            ? REFERENCE_HINT
            : expected === "object"
              ? `add a [${keyPath(path)}] table`
              : `add \`${example(key, expected)}\` ${where(path.slice(0, -1))}`),
      );
    }
    if (issue.code === "invalid_type") {
      const key = path.at(-1);
      const hint =
        path[0] === "trigger" && path.length === 2
          ? `write each trigger as its own [[trigger.${String(key)}]] table (two brackets)`
          : typeof key === "string"
            ? `write it as \`${example(key, issue.expected)}\``
            : REFERENCE_HINT;
      return this.invalid(path, `must be ${article(issue.expected)}, not ${tomlType(value)}`, hint);
    }
    // A discriminated union (the executor) reports at its `type` key; name the table instead.
    const at =
      issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator"
        ? path.slice(0, -1)
        : path;
    const shown = at === path ? value : valueAt(root, relative.slice(0, -1));
    const key = at.findLast((k): k is string => typeof k === "string");
    return this.invalid(
      at,
      `${issue.message.replace(/^Invalid input: expected /, "must be ")} (it is ${tomlValue(shown)})`,
      (key && this.hintFor(key)) ?? REFERENCE_HINT,
    );
  }

  /** What to write for a bad value of `key`, where there is more to say than the reference. */
  private hintFor(key: string): string | undefined {
    return KEY_HINTS[key] ?? this.schemas.hints.get(key);
  }

  /** A key of `table` (found at `path`) that is not one Wisp knows there and is near `missing`: a misspelling of it. */
  misspelling(table: unknown, path: KeyPathParts, missing: string): string | undefined {
    if (typeof table !== "object" || table === null || Array.isArray(table)) return undefined;
    const valid = keysAt(path, this.schemas, this.root);
    return Object.keys(table).find((key) => !valid.includes(key) && nearest(key, [missing]) === missing);
  }

  /** A key the table at `table` does not have: say which it probably meant, or what the table holds. */
  unknownKey(table: KeyPathParts, key: string): WispError {
    const unsupported = this.schemas.unsupported.find((u) => u.key === key && u.table.test(keyPath(table)));
    if (unsupported)
      return this.invalid([...table, key], `is ${unsupported.what}, which Wisp does not support`, unsupported.hint);
    const valid = keysAt(table, this.schemas, this.root);
    const guess = nearest(key, valid);
    return this.invalid(
      [...table, key],
      "is not a key Wisp knows here",
      guess
        ? `did you mean \`${guess}\`?`
        : valid.length > 0
          ? `remove it; the keys allowed here are ${valid.map((k) => `\`${k}\``).join(", ")}`
          : "remove it",
    );
  }
}

function valueAt(root: unknown, path: KeyPathParts): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Where a missing key goes, in the words of the manifest: `under [application]`, `in this [[trigger.http]]`. */
function where(table: KeyPathParts): string {
  if (table.length === 0) return "at the top of the manifest";
  if (typeof table.at(-1) === "number") return `to this [[${keyPath(table.slice(0, -1))}]] table`;
  // An inline table inside a [[trigger.http]] has no header of its own.
  if (table.some((k) => typeof k === "number")) return `in \`${keyPath(table)}\``;
  return `under [${keyPath(table)}]`;
}

function article(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
    case "int":
      return "a number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
    case "record":
    case "map":
      return "a table";
    default:
      return expected;
  }
}

/** `key = "..."` and the like, for a hint. */
function example(key: string, expected: string): string {
  const bare = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  switch (expected) {
    case "string":
      return `${bare} = "..."`;
    case "number":
    case "int":
      return `${bare} = 1`;
    case "boolean":
      return `${bare} = true`;
    case "array":
      return `${bare} = ["..."]`;
    default:
      return `${bare} = { ... }`;
  }
}

/** The TOML type of a parsed value, for "must be a string, not an integer". */
export function tomlType(value: unknown): string {
  if (typeof value === "string") return "a string";
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) return "an integer";
  if (typeof value === "number") return "a float";
  if (typeof value === "boolean") return "a boolean";
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) return "a list";
  return "a table";
}

/** A short TOML rendering of a value, for messages. */
export function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${k} = ${typeof v === "object" && v !== null ? "..." : tomlValue(v)}`,
    );
    return `{ ${entries.join(", ")} }`;
  }
  return "missing";
}
