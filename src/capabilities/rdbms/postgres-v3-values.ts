import type { DbValue, ParameterValue } from "./rdbms-values.js";

/**
 * spin:postgres@3.0.0 travels dates and times as tuples, where fermyon:spin/postgres@2.0.0 had
 * only strings. These convert between PostgreSQL's text forms and those tuples.
 */

/** Column type OIDs whose values stay PostgreSQL's text, to be read into tuples here. */
export const TEMPORAL_TYPES: Record<number, string> = {
  1082: "date",
  1083: "time",
  1114: "datetime",
  1184: "datetime",
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function nanosFromFraction(fraction: string | undefined): number {
  return fraction ? Number(fraction.padEnd(9, "0").slice(0, 9)) : 0;
}

/** A temporal column's text (`2024-01-31`, `13:45:10.5`, `2024-01-31 13:45:10.5+02`) as its tuple. */
export function temporalValue(text: string, dataType: string): DbValue {
  if (dataType === "date") {
    const [y, m, d] = text.split("-").map(Number);
    return { tag: "date", val: [y, m, d] } as unknown as DbValue;
  }
  if (dataType === "time") {
    const [, h, min, s, fraction] = /^(\d+):(\d+):(\d+)(?:\.(\d+))?/.exec(text) ?? [];
    return { tag: "time", val: [Number(h), Number(min), Number(s), nanosFromFraction(fraction)] } as unknown as DbValue;
  }
  // timestamp, or timestamptz in UTC (as Spin reads it): the offset, if any, is applied first.
  const [, date, time, fraction, offset] = /^(\S+) (\d+:\d+:\d+)(?:\.(\d+))?([+-]\d+(?::\d+)?)?$/.exec(text) ?? [];
  const iso = `${date}T${time}${offset ? (offset.includes(":") ? offset : `${offset}:00`) : "Z"}`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return { tag: "unsupported" };
  return {
    tag: "datetime",
    val: [
      at.getUTCFullYear(),
      at.getUTCMonth() + 1,
      at.getUTCDate(),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      nanosFromFraction(fraction),
    ],
  } as unknown as DbValue;
}

/** A spin:postgres@3.0.0 parameter as the driver binds it (temporal tuples as PostgreSQL text). */
export function temporalParameter(parameter: ParameterValue): string | undefined {
  const v = parameter.val as number[];
  switch (parameter.tag) {
    case "date":
      return `${pad(v[0]!, 4)}-${pad(v[1]!)}-${pad(v[2]!)}`;
    case "time":
      return `${pad(v[0]!)}:${pad(v[1]!)}:${pad(v[2]!)}.${pad(v[3]!, 9)}`;
    case "datetime":
      return `${pad(v[0]!, 4)}-${pad(v[1]!)}-${pad(v[2]!)} ${pad(v[3]!)}:${pad(v[4]!)}:${pad(v[5]!)}.${pad(v[6]!, 9)}`;
    case "timestamp":
      return new Date(Number(parameter.val) * 1000).toISOString();
    default:
      return undefined;
  }
}
