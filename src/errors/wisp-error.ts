/**
 * A user error: something the user can fix (a bad manifest, a missing file, a port in use).
 * It carries a stable `code` for scripts and tests, a message that names the thing, and a hint
 * that says what to do. The CLI prints it without a stack trace.
 */
export class WispError extends Error {
  override readonly name = "WispError";
  constructor(
    readonly code: WispErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** The text the CLI prints: `error[CODE]: message` and, when there is one, the hint. */
  format(): string {
    return `error[${this.code}]: ${this.message}` + (this.hint ? `\n  hint: ${this.hint}` : "");
  }
}

/** Stable error codes. Add, never rename: scripts match on them. */
export type WispErrorCode =
  | "MANIFEST_NOT_FOUND"
  | "MANIFEST_SYNTAX"
  | "MANIFEST_INVALID"
  | "COMPONENT_SOURCE_MISSING"
  | "COMPONENT_SOURCE_DIGEST"
  | "COMPONENT_INVALID_WASM"
  | "COMPONENT_LINK"
  | "FILES_INVALID"
  | "PORT_IN_USE"
  | "LISTEN_INVALID"
  | "USAGE"
  | "BUILD_FAILED"
  | "TOOL_MISSING"
  | "TEMPLATE_NOT_FOUND"
  | "VARIABLE_MISSING"
  | "VARIABLE_UNDECLARED"
  | "RUNTIME_CONFIG_INVALID"
  | "GRANT_INVALID";

export function isWispError(error: unknown): error is WispError {
  return error instanceof WispError;
}
