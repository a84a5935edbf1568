import { HostCallFailed } from "../engine/worker/host-call.js";

/**
 * Errors a guest sees are the interface's own WIT error values, never a trap (see DESIGN.md,
 * "Errors, three kinds"). One helper per way a capability gives them:
 * - `witError`: the err case of a function that returns `result<_, error>`: throw it, and jco's
 *   glue lowers it into that err case;
 * - `witOk`/`witErr`: a `result` handed back as a value (a future's `get`), where nothing is thrown;
 * - `hostCall` (`awaitHostCall` for an async one) and `backendCall`: a call into main or into a
 *   backend whose failure is the host's, not the guest's, turned into the err case the
 *   interface has for it.
 */

/** A WIT variant case as jco lowers it: `{ tag: "access-denied" }`, `{ tag: "other", val: "..." }`. */
export interface WitVariant<Tag extends string = string> {
  tag: Tag;
  val?: unknown;
}

/** The err case to throw from a function that returns a `result` (jco makes it that err). */
export function witError<const Tag extends string>(tag: Tag): { tag: Tag };
export function witError<const Tag extends string, Val>(tag: Tag, val: Val): { tag: Tag; val: Val };
export function witError(tag: string, val?: unknown): WitVariant {
  return val === undefined ? { tag } : { tag, val };
}

/** A `result`'s ok, as a value, for what returns a result rather than throwing its err. */
export function witOk<T>(val: T): { tag: "ok"; val: T } {
  return { tag: "ok", val };
}

/** A `result`'s err, as a value (see witOk). */
export function witErr<E>(val: E): { tag: "err"; val: E } {
  return { tag: "err", val };
}

/** A failure's text, as an interface's catch-all case carries it. */
export function failureText(error: unknown): string {
  return (error as Error).message ?? String(error);
}

/**
 * Runs a call into main (one of a spec's host calls, see hostCallsOf); a failure there (a
 * connection refused, a query's error) is thrown as the err case `toError` makes of its
 * message. Anything else (a bug) stays a trap.
 */
export function hostCall<Answer>(call: () => Answer, toError: (message: string) => WitVariant): Answer {
  try {
    return call();
  } catch (error) {
    if (error instanceof HostCallFailed) throw toError(error.message);
    throw error;
  }
}

/** hostCall for an awaited call into main (see asyncHostCallsOf): the same errors, as a rejection. */
export async function awaitHostCall<Answer>(
  call: () => Promise<Answer>,
  toError: (message: string) => WitVariant,
): Promise<Answer> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HostCallFailed) throw toError(error.message);
    throw error;
  }
}

/** Runs a backend's call (a store, a database); whatever it throws becomes the err case `toError` makes. */
export function backendCall<T>(call: () => T, toError: (error: unknown) => WitVariant): T {
  try {
    return call();
  } catch (error) {
    throw toError(error);
  }
}

/** backendCall for an awaited call: whatever it throws or rejects with becomes the err case `toError` makes. */
export async function awaitBackendCall<T>(call: () => Promise<T>, toError: (error: unknown) => WitVariant): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toError(error);
  }
}
