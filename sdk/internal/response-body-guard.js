// Wisp's build runs this before a handler's own code (src/toolchain/js/bundle.ts); not for import.
//
// Why: the engine inside componentize-js 0.23 (StarlingMonkey) finishes a response's body
// (outgoing-body.finish) even when the JS stream behind it errored or gave a chunk it cannot send
// (a detached buffer, not a Uint8Array): it only prints a warning (StarlingMonkey v0.3.0,
// builtins/web/fetch/request-response.cpp, reader_for_outgoing_body_then_handler and
// _catch_handler; fetch_event.cpp closes the body after the event loop). The host then sees a complete
// body, and the client a clean 200 with a truncated body. So a Response built from a
// ReadableStream reads it through a guard; once that Response is being sent (respondWith), a
// failure of the stream ends the run with wasi:cli/exit(err) before the engine can finish the
// body, and the host aborts the response. Until then the guard passes everything on unchanged: a
// handler may read such a body itself and catch its error.

// The version of the WASI WIT the build uses (wasi-wit.ts, SHIPPED_VERSION).
import { exit } from "wasi:cli/exit@0.2.12";

const NativeResponse = globalThis.Response;

/** `{ sending }` of each Response built from a stream (a clone shares its original's). */
const guardStates = new WeakMap();

function describe(value) {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  } catch {
    return typeof value;
  }
}

/** Ends the run as failed: the engine never gets to finish the body, so the host aborts it. */
function abortResponse(reason) {
  console.error(`wisp: the body stream of the response being sent failed (${reason}): the response is aborted`);
  exit({ tag: "err" });
}

/** What the engine can send: the bytes of a Uint8Array whose buffer is still there. */
function unsendable(chunk) {
  if (!(chunk instanceof Uint8Array)) return `it gave ${chunk === null ? "null" : typeof chunk}, not a Uint8Array`;
  if (chunk.buffer.detached) return "it gave a Uint8Array whose buffer was detached (transferred or already sent)";
  return undefined;
}

/** A stream that reads `source` and, once its Response is being sent, fails the run on a failure. */
function guardStream(source, state) {
  const reader = source.getReader();
  const stream = new ReadableStream(
    {
      async pull(controller) {
        let next;
        try {
          next = await reader.read();
        } catch (error) {
          if (state.sending) abortResponse(`it errored: ${describe(error)}`);
          controller.error(error);
          return;
        }
        if (next.done) return controller.close();
        const problem = state.sending ? unsendable(next.value) : undefined;
        if (problem) abortResponse(problem);
        controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Read the source only when the body's reader asks: a failure is then seen while sending.
    { highWaterMark: 0 },
  );
  return { stream, release: () => reader.releaseLock() };
}

const GuardedResponse = new Proxy(NativeResponse, {
  construct(target, args, newTarget) {
    const [body, ...rest] = args;
    // A locked stream goes through as it is: the engine refuses it, as before.
    if (!(body instanceof ReadableStream) || body.locked)
      return Reflect.construct(target, args, newTarget === GuardedResponse ? target : newTarget);
    const state = { sending: false };
    const guarded = guardStream(body, state);
    let response;
    try {
      response = Reflect.construct(
        target,
        [guarded.stream, ...rest],
        newTarget === GuardedResponse ? target : newTarget,
      );
    } catch (error) {
      guarded.release();
      throw error;
    }
    guardStates.set(response, state);
    return response;
  },
});
globalThis.Response = GuardedResponse;
NativeResponse.prototype.constructor = GuardedResponse;

// Later engines have Response#clone (a tee of the guarded stream): whichever of the two is sent arms the guard.
const nativeClone = NativeResponse.prototype.clone;
if (typeof nativeClone === "function") {
  NativeResponse.prototype.clone = function clone() {
    const copy = nativeClone.call(this);
    const state = guardStates.get(this);
    if (state) guardStates.set(copy, state);
    return copy;
  };
}

function markSending(response) {
  const state = guardStates.get(response);
  if (state) state.sending = true;
  return response;
}

/** Gives the event a respondWith that arms the guard of the Response it sends. */
function watchRespondWith(event) {
  if (Object.hasOwn(event, "respondWith")) return;
  const respondWith = event.respondWith;
  Object.defineProperty(event, "respondWith", {
    configurable: true,
    writable: true,
    value: (response) => respondWith.call(event, Promise.resolve(response).then(markSending)),
  });
}

// fetch listeners see the watched event; the same wrapper per listener, so removeEventListener still finds it.
const watchingListeners = new WeakMap();
function watching(listener) {
  if (typeof listener !== "function" && (typeof listener !== "object" || listener === null)) return listener;
  let wrapper = watchingListeners.get(listener);
  if (!wrapper) {
    wrapper = function (event) {
      watchRespondWith(event);
      return typeof listener === "function" ? listener.call(this, event) : listener.handleEvent(event);
    };
    watchingListeners.set(listener, wrapper);
  }
  return wrapper;
}
for (const name of ["addEventListener", "removeEventListener"]) {
  const native = globalThis[name];
  globalThis[name] = function (type, listener, options) {
    return native.call(this, type, type === "fetch" ? watching(listener) : listener, options);
  };
}
