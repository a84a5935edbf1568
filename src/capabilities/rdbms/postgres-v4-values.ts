import { parse as parseArray } from "postgres-array";
import parseInterval from "postgres-interval";
import { parse as parseRange, Range, RANGE_LB_INC, RANGE_LB_INF, RANGE_UB_INC, RANGE_UB_INF } from "postgres-range";
import { temporalParameter, temporalValue } from "./postgres-v3-values.js";
import type { ParameterValue } from "./rdbms-values.js";

/**
 * spin:postgres@4.0.0's values: 3.0.0's plus uuid, jsonb, decimal, ranges, arrays and intervals,
 * and an `unsupported` that carries the value's bytes. Every column arrives as PostgreSQL's text
 * (see postgres-v4.ts) and is read here by the column's type, as Spin types it.
 */

/** A 4.0.0 value or column type as jco hands it over: a tagged variant. */
export interface Tagged {
  tag: string;
  val?: unknown;
}

type Bound<T> = [T, "inclusive" | "exclusive"] | undefined;

/** Column type OIDs and the db-data-type case each is; any other type is `other(name)`. */
export const V4_TYPES: Readonly<Record<number, string>> = {
  16: "boolean",
  17: "binary",
  21: "int16",
  23: "int32",
  20: "int64",
  700: "floating32",
  701: "floating64",
  25: "str",
  1043: "str",
  1042: "str",
  1082: "date",
  1083: "time",
  1114: "datetime",
  1184: "datetime",
  2950: "uuid",
  3802: "jsonb",
  1700: "decimal",
  3904: "range-int32",
  3926: "range-int64",
  3906: "range-decimal",
  1007: "array-int32",
  1016: "array-int64",
  1231: "array-decimal",
  1009: "array-str",
  1015: "array-str",
  1014: "array-str",
  1186: "interval",
};

const identity = (text: string) => text;
const UTF8 = new TextEncoder();

function rangeValue<T>(text: string, bound: (text: string) => T): [Bound<T>, Bound<T>] {
  const range = parseRange(text, bound);
  // An empty range has no bounds, as in Spin.
  if (range.isEmpty()) return [undefined, undefined];
  const lower: Bound<T> = range.hasMask(RANGE_LB_INF)
    ? undefined
    : [range.lower as T, range.hasMask(RANGE_LB_INC) ? "inclusive" : "exclusive"];
  const upper: Bound<T> = range.hasMask(RANGE_UB_INF)
    ? undefined
    : [range.upper as T, range.hasMask(RANGE_UB_INC) ? "inclusive" : "exclusive"];
  return [lower, upper];
}

/** An interval's text as (micros, days, months), exact past 2^53 microseconds. */
function intervalValue(text: string): { micros: bigint; days: number; months: number } {
  const i = parseInterval(text);
  const micros =
    BigInt(i.hours) * 3_600_000_000n +
    BigInt(i.minutes) * 60_000_000n +
    BigInt(i.seconds) * 1_000_000n +
    BigInt(Math.round(i.milliseconds * 1000));
  return { micros, days: i.days, months: i.years * 12 + i.months };
}

/** PostgreSQL's `\x…` text of a bytea. */
function byteaValue(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.slice(2), "hex"));
}

/** A column's text as the db-value its type says. */
export function v4Value(text: string, dataType: string): Tagged {
  switch (dataType) {
    case "boolean":
      return { tag: dataType, val: text === "t" };
    case "int16":
    case "int32":
    case "floating32":
    case "floating64":
      return { tag: dataType, val: Number(text) };
    case "int64":
      return { tag: dataType, val: BigInt(text) };
    case "str":
    case "uuid":
    case "decimal":
      return { tag: dataType, val: text };
    case "binary":
      return { tag: dataType, val: byteaValue(text) };
    case "date":
    case "time":
    case "datetime":
      return temporalValue(text, dataType);
    case "jsonb":
      // Compact, as Spin re-serialises it (PostgreSQL's text puts spaces after `:` and `,`).
      return { tag: dataType, val: UTF8.encode(JSON.stringify(JSON.parse(text))) };
    case "range-int32":
      return { tag: dataType, val: rangeValue(text, Number) };
    case "range-int64":
      return { tag: dataType, val: rangeValue(text, BigInt) };
    case "range-decimal":
      return { tag: dataType, val: rangeValue(text, identity) };
    case "array-int32":
      return { tag: dataType, val: parseArray(text, Number).map(orUndefined) };
    case "array-int64":
      return { tag: dataType, val: parseArray(text, BigInt).map(orUndefined) };
    case "array-decimal":
    case "array-str":
      return { tag: dataType, val: parseArray(text).map(orUndefined) };
    case "interval":
      return { tag: dataType, val: intervalValue(text) };
    default:
      // Spin hands over the value's wire bytes; over PostgreSQL's text protocol those are its text.
      return { tag: "unsupported", val: UTF8.encode(text) };
  }
}

/** postgres-array gives SQL NULL as null; an option<T> travels through jco as undefined. */
const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** A parameter the guest's value cannot be: spin:postgres's `bad-parameter`. */
export class BadParameter extends Error {
  override readonly name = "BadParameter";
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function decimalText(text: string): string {
  if (!DECIMAL.test(text)) throw new BadParameter(`invalid decimal "${text}": write it in base 10, e.g. "12.50"`);
  return text;
}

function rangeText<T>([lower, upper]: [Bound<T>, Bound<T>], format: (value: T) => string): string {
  let mask = 0;
  if (!lower) mask |= RANGE_LB_INF;
  else if (lower[1] === "inclusive") mask |= RANGE_LB_INC;
  if (!upper) mask |= RANGE_UB_INF;
  else if (upper[1] === "inclusive") mask |= RANGE_UB_INC;
  return new Range(lower?.[0] ?? null, upper?.[0] ?? null, mask).toPostgres((value) => format(value as T));
}

/** A spin:postgres@4.0.0 parameter as the driver binds it (everything beyond numbers and text as PostgreSQL text). */
export function v4Parameter(parameter: ParameterValue): unknown {
  const { tag, val } = parameter;
  switch (tag) {
    case "db-null":
      return null;
    case "int64":
      return String(val);
    case "binary":
      return Buffer.from(val as Uint8Array);
    case "date":
    case "time":
    case "datetime":
    case "timestamp":
      return temporalParameter(parameter);
    case "jsonb": {
      const text = new TextDecoder().decode(val as Uint8Array);
      try {
        JSON.parse(text);
      } catch {
        throw new BadParameter(`invalid JSON in a jsonb parameter: ${text.slice(0, 80)}`);
      }
      return text;
    }
    case "decimal":
      return decimalText(val as string);
    case "range-int32":
    case "range-int64":
      return rangeText(val as [Bound<number | bigint>, Bound<number | bigint>], String);
    case "range-decimal":
      return rangeText(val as [Bound<string>, Bound<string>], decimalText);
    case "array-int32":
    case "array-str":
      return (val as unknown[]).map((v) => v ?? null);
    case "array-int64":
      return (val as Array<bigint | undefined>).map((v) => (v === undefined ? null : String(v)));
    case "array-decimal":
      return (val as Array<string | undefined>).map((v) => (v === undefined ? null : decimalText(v)));
    case "interval": {
      const { micros, days, months } = val as { micros: bigint; days: number; months: number };
      return `${months} months ${days} days ${micros} microseconds`;
    }
    default:
      return val;
  }
}
