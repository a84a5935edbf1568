/**
 * Best-effort line numbers for a key path in a TOML manifest, for error messages. TOML parsers
 * report lines only for syntax errors, so schema errors find their line by scanning the text:
 * the table header the path lives under, then the key below it.
 */
export function lineOf(text: string, path: ReadonlyArray<string | number>): number | undefined {
  const lines = text.split(/\r?\n/);
  let start = 0;
  let keyIndex = 0;
  const [first, second, third] = path;
  if (first === "trigger" && typeof second === "string" && typeof third === "number") {
    let seen = -1;
    start = lines.findIndex((line) => /^\s*\[\[\s*trigger\.[\w-]+\s*\]\]/.test(line) && line.includes(`trigger.${second}`) && ++seen === third);
    keyIndex = 3;
  } else if (first === "component" && typeof second === "string") {
    // The deepest table header that exists: [component.x.tool.wisp], [component.x.build], [component.x].
    for (let depth = path.length; depth >= 2; depth--) {
      const header = path.slice(0, depth).map(String).join(".");
      const found = lines.findIndex((line) => line.trim().replace(/\s+/g, "") === `[${header}]`);
      if (found !== -1) {
        start = found;
        keyIndex = depth;
        break;
      }
    }
  } else if (typeof first === "string" && path.length > 1) {
    const found = lines.findIndex((line) => line.trim().replace(/\s+/g, "") === `[${first}]`);
    if (found !== -1) {
      start = found;
      keyIndex = 1;
    }
  }
  if (start < 0) return undefined;
  const key = path[keyIndex];
  if (typeof key !== "string") return start + 1;
  for (let i = start + (keyIndex > 0 ? 1 : 0); i < lines.length; i++) {
    if (i > start && keyIndex > 0 && /^\s*\[/.test(lines[i]!)) break;
    if (new RegExp(`^\\s*"?${escape(key)}"?\\s*=`).test(lines[i]!) || new RegExp(`[{,]\\s*"?${escape(key)}"?\\s*=`).test(lines[i]!)) return i + 1;
  }
  return start + 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `component.hello.source`, `trigger.http[2].route`. */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += (out ? "." : "") + String(part);
  }
  return out || "(top level)";
}
