/**
 * The most bytes of rows Wisp gathers for one guest's query (PostgreSQL's and MySQL's on main,
 * SQLite's on the guest's worker). A guest can ask a database for more than the host has memory
 * (`SELECT repeat('x', 1e6) FROM generate_series(1, 10000)`: 10 GB), which would take Wisp down
 * with every app it serves. The same bound as an outbound HTTP response's.
 */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;

/** A query whose rows passed MAX_RESULT_BYTES: its connection is closed, the guest gets this error. */
export class ResultTooLarge extends Error {
  override readonly name = "ResultTooLarge";
  constructor() {
    super(
      `the query's result is larger than ${MAX_RESULT_BYTES / 1024 / 1024} MiB, more than Wisp gathers for a component: select fewer rows or columns, or page through them (LIMIT ... OFFSET)`,
    );
  }
}

/** About what a driver's row holds: its strings' and buffers' lengths, 8 bytes for anything else. */
function sizeOf(row: readonly unknown[]): number {
  let bytes = 16;
  for (const value of row) {
    if (typeof value === "string") bytes += value.length;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else bytes += 8;
  }
  return bytes;
}

/** Counts the rows of one query as they arrive; `take` answers false once they pass the budget. */
export class RowBudget {
  private bytes = 0;

  take(row: readonly unknown[]): boolean {
    this.bytes += sizeOf(row);
    return this.bytes <= MAX_RESULT_BYTES;
  }
}
