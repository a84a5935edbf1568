import { DEFAULT_LIMITS, type ComponentLimits } from "./component-limits.js";
import type { KeyPathParts, ManifestErrors } from "./errors.js";
import { tomlValue } from "./errors.js";
import { wispToolSchema } from "./schema.js";
import { parseDuration, parseSize } from "./sizes.js";

/**
 * The range each limit in `[component.ID.tool.wisp]` may take, and why its ends are where they
 * are. A value past an end is refused at start: past the maximum the runtime would not enforce
 * the limit as written (Node runs a timer of more than 2^31-1 ms after 1 ms, so every request
 * timed out at once; V8 refuses a memory of more than 65536 pages when the first request runs).
 * README.md's "Limits" table documents the same figures.
 */
export const LIMIT_RANGES = {
  /** A Node timer waits at most 2^31-1 ms (about 24.8 days); a longer one fires after 1 ms. */
  timeout: {
    min: 1,
    max: 2 ** 31 - 1,
    unit: "ms",
    minText: "1ms",
    maxText: "2147483647ms (about 24.8 days, the longest timer Node keeps)",
    minExample: '"1ms"',
    maxExample: '"35791m"',
  },
  /** One 64 KiB wasm page at least; a 32-bit wasm memory has at most 65536 pages (4 GiB). */
  max_memory: {
    min: 65_536,
    max: 65_536 * 65_536,
    unit: "bytes",
    minText: "64KiB (one wasm page)",
    maxText: "4GiB (65536 wasm pages, all a 32-bit wasm memory can address)",
    minExample: '"64KiB"',
    maxExample: '"4GiB"',
  },
  /** Bytes are counted as a JavaScript number, exact up to 2^53-1. */
  max_request_body: {
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    unit: "bytes",
    minText: "1 byte",
    maxText: "9007199254740991 bytes (2^53-1, about 8 PiB, the largest count Node keeps exact)",
    minExample: "1",
    maxExample: "9007199254740991",
  },
} as const;

type LimitKey = keyof typeof LIMIT_RANGES;

/** `[component.ID.tool.wisp]`: `timeout`, `max_memory`, `max_request_body`, each within LIMIT_RANGES; the defaults for what it leaves out. */
export function toLimits(
  table: Record<string, unknown> | undefined,
  path: KeyPathParts,
  errors: ManifestErrors,
): ComponentLimits {
  const limits = { ...DEFAULT_LIMITS };
  if (!table) return limits;
  const tool = errors.check(wispToolSchema, table, path);
  const read = (
    key: LimitKey,
    parse: (v: string | number) => number | undefined,
    expected: string,
  ): number | undefined => {
    const value = tool[key];
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === undefined)
      throw errors.invalid([...path, key], `is ${tomlValue(value)}, not ${expected}`, `write it as ${expected}`);
    const range = LIMIT_RANGES[key];
    if (parsed > range.max) {
      throw errors.invalid(
        [...path, key],
        `is ${tomlValue(value)} (${amount(parsed, range.unit)}), more than the maximum, ${range.maxText}`,
        `write ${key} = ${range.maxExample} or less`,
      );
    }
    if (parsed < range.min) {
      throw errors.invalid(
        [...path, key],
        `is ${tomlValue(value)} (${amount(parsed, range.unit)}), less than the minimum, ${range.minText}`,
        `write ${key} = ${range.minExample} or more`,
      );
    }
    return parsed;
  };
  limits.timeoutMs =
    read("timeout", parseDuration, 'a duration such as "500ms", "30s" or "2m" (or a number of milliseconds)') ??
    limits.timeoutMs;
  limits.maxMemoryBytes =
    read("max_memory", parseSize, 'a size such as "64MiB" or "1GiB" (or a number of bytes)') ?? limits.maxMemoryBytes;
  limits.maxRequestBodyBytes =
    read("max_request_body", parseSize, 'a size such as "10MiB" (or a number of bytes)') ?? limits.maxRequestBodyBytes;
  return limits;
}

function amount(value: number, unit: string): string {
  return Number.isFinite(value) ? `${value} ${unit}` : `more ${unit} than can be counted`;
}
