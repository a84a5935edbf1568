/** Spin's rdbms-types, as jco hands them over: tagged variants. */
export type ParameterValue = { tag: string; val?: unknown };
export type DbValue =
  | { tag: "boolean"; val: boolean }
  | { tag: "int8" | "int16" | "int32" | "uint8" | "uint16" | "uint32"; val: number }
  | { tag: "int64" | "uint64"; val: bigint }
  | { tag: "floating32" | "floating64"; val: number }
  | { tag: "str"; val: string }
  | { tag: "binary"; val: Uint8Array }
  | { tag: "db-null" }
  | { tag: "unsupported" };

export interface Column {
  name: string;
  dataType: string;
}

export interface RowSet {
  columns: Column[];
  rows: DbValue[][];
}

/** A guest's parameter as a driver binds it (64-bit integers as text: exact in every driver). */
export function toDriverParameter(parameter: ParameterValue): unknown {
  switch (parameter.tag) {
    case "db-null":
      return null;
    case "binary":
      return Buffer.from(parameter.val as Uint8Array);
    case "int64":
    case "uint64":
      return String(parameter.val);
    default:
      return parameter.val;
  }
}

/** A driver's value as the column's Spin type says it should travel. */
export function toDbValue(value: unknown, dataType: string): DbValue {
  if (value === null || value === undefined) return { tag: "db-null" };
  switch (dataType) {
    case "boolean":
      return { tag: "boolean", val: Boolean(value) };
    case "int8":
    case "int16":
    case "int32":
    case "uint8":
    case "uint16":
    case "uint32":
      return { tag: dataType, val: Number(value) };
    case "int64":
    case "uint64":
      return { tag: dataType, val: BigInt(value as string | number | bigint) };
    case "floating32":
    case "floating64":
      return { tag: dataType, val: Number(value) };
    case "binary":
      return { tag: "binary", val: new Uint8Array(value as Buffer) };
    case "str":
      return { tag: "str", val: value instanceof Date ? value.toISOString() : String(value) }; // eslint-disable-line @typescript-eslint/no-base-to-string -- drivers give strings, numbers or Buffers (text) here;
    default:
      return typeof value === "string" ? { tag: "str", val: value } : { tag: "unsupported" };
  }
}
