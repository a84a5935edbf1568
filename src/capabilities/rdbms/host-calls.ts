import type { Tagged } from "./postgres-v4-values.js";
import type { ParameterValue, RowSet } from "./rdbms-values.js";

/**
 * The host calls of the rdbms capability: what its guest imports ask of main, and what main
 * answers. Imported as types only, by both threads. A row set is in the shape of the interface
 * version that asked (`temporalTuples`: spin:postgres@3.0.0's dates and times as tuples).
 */
export interface RdbmsHostCalls {
  "postgres.query": { args: SqlCallArgs; answer: RowSet };
  "postgres.execute": { args: SqlCallArgs; answer: bigint };
  /** spin:postgres@4.0.0: a failed statement is answered as the interface's error, not thrown. */
  "postgres4.query": { args: SqlCallArgs; answer: V4Result<V4RowSet> };
  "postgres4.execute": { args: SqlCallArgs; answer: V4Result<bigint> };
  "mysql.query": { args: SqlCallArgs; answer: RowSet };
  "mysql.execute": { args: SqlCallArgs; answer: void };
}

/** A statement to run on main's pool for `address`. */
export interface SqlCallArgs {
  address: string;
  statement: string;
  params: ParameterValue[];
  /** spin:postgres@3.0.0: dates and times travel as tuples (fermyon:spin@2.0.0: as strings). */
  temporalTuples?: boolean;
  /** spin:postgres@4.1's builder: CA roots (PEM) its TLS trusts beside the system's. */
  caRoots?: string[];
}

/** spin:postgres@4.0.0's answer: its error variant is a value, carrying PostgreSQL's structured error. */
export type V4Result<T> = { ok: T } | { error: Tagged };

/** A 4.0.0 query's rows and their columns' types. */
export interface V4RowSet {
  columns: Array<{ name: string; dataType: Tagged }>;
  rows: Tagged[][];
}
