/**
 * Best-effort line numbers for a key path in a TOML manifest, for error messages. The TOML parser
 * reports lines only for syntax errors, so schema errors find theirs by scanning the text: first
 * the table header that covers the longest prefix of the path (`[component.web.tool.wisp]`, the
 * third `[[trigger.http]]`), then, inside that table, the deepest key of the rest of the path that
 * appears on a line (`digest` in `source = { url = "...", digest = "..." }`).
 */
export function lineOf(text: string, path: ReadonlyArray<string | number>): number | undefined {
  const lines = text.split(/\r?\n/);
  let blockStart = -1; // the header's line; -1 for the top-level keys above every header
  let depth = 0; // how much of `path` the header covers
  const arrayCounts = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    const header = parseHeader(line);
    if (!header) continue;
    let headerPath: Array<string | number> = header.keys;
    if (header.array) {
      const name = header.keys.join("\0");
      const count = arrayCounts.get(name) ?? 0;
      arrayCounts.set(name, count + 1);
      headerPath = [...header.keys, count];
    }
    if (headerPath.length > depth && headerPath.every((key, i) => key === path[i])) {
      blockStart = index;
      depth = headerPath.length;
    }
  }
  // The block runs from its header to the next header.
  let blockEnd = lines.findIndex((line, i) => i > blockStart && parseHeader(line) !== undefined);
  if (blockEnd === -1) blockEnd = lines.length;
  const rest = path.slice(depth).filter((key): key is string => typeof key === "string");
  for (const key of rest.reverse()) {
    const pattern = new RegExp(`(?:^|[\\s{,.])(?:"${escape(key)}"|'${escape(key)}'|${escape(key)})\\s*=`);
    for (let i = blockStart + 1; i < blockEnd; i++) {
      if (pattern.test(stripComment(lines[i]!))) return i + 1;
    }
  }
  return blockStart >= 0 ? blockStart + 1 : undefined;
}

/** The keys of a `[a.b."c d"]` or `[[a.b]]` header line, or `undefined` when the line is not one. */
function parseHeader(line: string): { keys: string[]; array: boolean } | undefined {
  const match = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$/.exec(line);
  if (!match) return undefined;
  const keys: string[] = [];
  const keyPattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/y;
  let part: RegExpExecArray | null;
  while (keyPattern.lastIndex < match[2]!.length && (part = keyPattern.exec(match[2]!))) {
    keys.push(part[1] ?? part[2] ?? part[3]!);
  }
  return keys.length > 0 ? { keys, array: match[1] === "[[" } : undefined;
}

function stripComment(line: string): string {
  // Good enough for finding keys: a `#` inside a string value only shortens what is searched.
  const hash = line.indexOf("#");
  return hash === -1 ? line : line.slice(0, hash);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A key path in TOML terms: `component.hello.source`, `trigger.http[2].route`, `component."Web Server"`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      out += (out ? "." : "") + (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));
    }
  }
  return out || "(top level)";
}
