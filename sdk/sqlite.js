// @wisp/sdk/sqlite: SQLite databases granted by the manifest's `sqlite_databases`.
import { Connection } from "fermyon:spin/sqlite@2.0.0";

function toValue(value) {
  if (value === null || value === undefined) return { tag: "null" };
  if (typeof value === "bigint") return { tag: "integer", val: value };
  if (typeof value === "number")
    return Number.isInteger(value) ? { tag: "integer", val: BigInt(value) } : { tag: "real", val: value };
  if (value instanceof Uint8Array) return { tag: "blob", val: value };
  return { tag: "text", val: String(value) };
}

function fromValue(value) {
  if (value.tag === "null") return null;
  if (value.tag === "integer") return Number.isSafeInteger(Number(value.val)) ? Number(value.val) : value.val;
  return value.val;
}

export const sqlite = {
  open(label = "default") {
    const connection = Connection.open(label);
    return {
      execute(sql, params = []) {
        const result = connection.execute(sql, params.map(toValue));
        const rows = result.rows.map((row) =>
          Object.fromEntries(result.columns.map((column, i) => [column, fromValue(row.values[i])])),
        );
        return { columns: result.columns, rows };
      },
    };
  },
};
