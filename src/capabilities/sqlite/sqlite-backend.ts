/** A database a component is granted: its file (structured-cloneable, sent to workers). */
export interface SqliteBackend {
  path: string;
}
