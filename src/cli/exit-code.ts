import type { WispErrorCode } from "../errors/wisp-error.js";

/** Exit codes: 0 ok, 1 user error (a WispError), 2 usage (the command line is wrong), 70 internal bug. */
export const EXIT = { ok: 0, userError: 1, usage: 2, bug: 70 } as const;

/**
 * The WispErrors that say the command line itself is wrong (a bad argument or flag, a template
 * that does not exist), so exit as commander's own usage errors do, for every command.
 */
const USAGE_CODES: ReadonlySet<WispErrorCode> = new Set(["USAGE", "TEMPLATE_NOT_FOUND"]);

export function exitCodeOf(code: WispErrorCode): number {
  return USAGE_CODES.has(code) ? EXIT.usage : EXIT.userError;
}
