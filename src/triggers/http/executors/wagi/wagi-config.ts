import type { ExecutorTable } from "../executor.js";

/** A WAGI route's settings: `executor = { type = "wagi", argv = "...", entrypoint = "..." }`. */
export interface WagiConfig {
  /** The argv template (`${SCRIPT_NAME} ${ARGS}` by default). */
  argv: string;
  /** The export called (`_start` unless the executor names another). */
  entrypoint: string;
}

/** Spin's default WAGI argv (the manifest fills it in: see WAGI_TABLE). */
export const DEFAULT_WAGI_ARGV = "${SCRIPT_NAME} ${ARGS}";

/** WAGI's manifest table: `executor = { type = "wagi", argv = "...", entrypoint = "..." }`. */
export const WAGI_TABLE: ExecutorTable = {
  types: ["wagi"],
  runs: "for WASI modules",
  options: { argv: { default: DEFAULT_WAGI_ARGV }, entrypoint: {} },
};

/** The function WAGI calls unless the executor names another. */
export const DEFAULT_WAGI_ENTRYPOINT = "_start";
