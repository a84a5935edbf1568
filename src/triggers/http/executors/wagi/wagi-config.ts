import { WAGI_TABLE } from "../../../../manifest/executor-tables.js";

/** A WAGI route's settings: `executor = { type = "wagi", argv = "...", entrypoint = "..." }`. */
export interface WagiConfig {
  /** The argv template (`${SCRIPT_NAME} ${ARGS}` by default). */
  argv: string;
  /** The export called (`_start` unless the executor names another). */
  entrypoint: string;
}

/** Spin's default WAGI argv (the manifest fills it in: see manifest/executor-tables.ts). */
export const DEFAULT_WAGI_ARGV = WAGI_TABLE.options.argv!.default!;

/** The function WAGI calls unless the executor names another. */
export const DEFAULT_WAGI_ENTRYPOINT = "_start";
