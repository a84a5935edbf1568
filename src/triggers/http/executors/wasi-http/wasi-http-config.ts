/** A wasi:http route has no settings of its own. */
export type WasiHttpConfig = Record<string, never>;
