/** Human sizes and durations in `[component.ID.tool.wisp]`: "16MiB", "1KiB", "200MB", 512 / "500ms", "30s", "2m". */

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, "": 1 };

export function parseSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const unit = SIZE_UNITS[match[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** Milliseconds; a bare number means milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return value > 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|)\s*$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNITS[match[2]!]!;
  return ms > 0 ? ms : undefined;
}
