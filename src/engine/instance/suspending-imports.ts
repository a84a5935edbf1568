/**
 * The functions a suspending glue's `WebAssembly.Suspending` imports wrap (see SuspendingGlue).
 * A reused core (ReusableCore) reaches each instantiation's imports through forwarders, and a
 * `Suspending` object cannot be called from JavaScript: its forwarder is a `Suspending` of its own
 * that calls the function the current instantiation's wraps, which this registry gives. The glue
 * makes them through RECORDING_SUSPENDING (its text rewritten so, see recordedSuspending in
 * engine/component), never with `new WebAssembly.Suspending` itself.
 */

type Callable = (...args: unknown[]) => unknown;

/** JSPI's constructor, which TypeScript's lib does not declare yet. */
const Suspending = (WebAssembly as unknown as { Suspending?: new (fn: Callable) => object }).Suspending;

const wrapped = new WeakMap<object, Callable>();

/** Where the rewritten glue finds the maker: a global symbol, as the glue is a module of its own. */
export const RECORDING_SUSPENDING = Symbol.for("wisp.recordingSuspending");

/** A `WebAssembly.Suspending` of `fn`, remembered (see wrappedFunction). */
function recordingSuspending(fn: Callable): object {
  if (!Suspending) throw new Error("this Node has no JSPI (WebAssembly.Suspending): Wisp needs Node 24 or newer");
  const suspending = new Suspending(fn);
  wrapped.set(suspending, fn);
  return suspending;
}

(globalThis as Record<symbol, unknown>)[RECORDING_SUSPENDING] = recordingSuspending;

/** The function a glue's `Suspending` import wraps; undefined for anything else. */
export function wrappedFunction(value: unknown): Callable | undefined {
  return typeof value === "object" && value !== null ? wrapped.get(value) : undefined;
}

/** A `Suspending` import that calls whatever `target` gives at each call: a reused core's forwarder. */
export function suspendingForwarder(target: () => Callable): object {
  return recordingSuspending((...args: unknown[]) => target()(...args));
}
