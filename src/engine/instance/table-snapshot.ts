/**
 * A table's entries as they are now, to tell after a request whether its code changed the table:
 * a change cannot be undone, so an instance whose table changed is dropped (see ReusableCore,
 * KeptCore).
 */
export class TableSnapshot {
  private readonly entries: unknown[];

  constructor(private readonly table: WebAssembly.Table) {
    this.entries = Array.from({ length: table.length }, (_, i): unknown => table.get(i));
  }

  /** Whether the table holds exactly what it held when the snapshot was taken. */
  unchanged(): boolean {
    const { table, entries } = this;
    if (table.length !== entries.length) return false;
    for (let i = 0; i < entries.length; i++) if (table.get(i) !== entries[i]) return false;
    return true;
  }
}
