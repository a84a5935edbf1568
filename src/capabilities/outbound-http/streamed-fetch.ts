import type { IncomingMessage } from "node:http";
import type { HostCaller } from "../../engine/worker/protocol.js";
import { admitted, failure } from "./fetch-host-call.js";
import type { BodyPart, FetchArgs, OpenedOutcome } from "./host-calls.js";
import { sendOverWire, trailersOf } from "./http-transport.js";

/** A response body a guest reads as it arrives, held on main between its reads. */
interface OpenBody {
  message: IncomingMessage;
  chunks: AsyncIterator<Buffer, undefined>;
  /** Ends the request: on a read's failure, a cancel, or when the guest stops reading. */
  controller: AbortController;
  args: FetchArgs;
  idle?: NodeJS.Timeout;
  /** Why it was closed before its end, which a read still waiting reports. */
  closed?: string;
}

const bodies = new Map<number, OpenBody>();
let nextBodyId = 1;

/**
 * Main thread: sends a wasi:http 0.3 guest's request (with its trailers, if it has any) and
 * answers as soon as the head has come; the body stays open here, read a chunk at a time as the
 * guest reads it (readBody), so nothing is buffered and the guest sees bytes as the upstream
 * sends them, then the trailers it ends with. The request's time limit runs to the head, then
 * between chunks and the guest's reads: a body left unread, or silent, that long is let go of.
 */
export async function openForGuest(
  args: FetchArgs,
  caller?: HostCaller,
  log: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Promise<OpenedOutcome> {
  const admission = admitted(args, caller, log);
  if ("answered" in admission) return admission.answered;
  const controller = new AbortController();
  const headTimer = setTimeout(
    () => controller.abort(new DOMException(`no response in ${args.timeoutMs} ms`, "TimeoutError")),
    args.timeoutMs,
  );
  // A job main let go of waits for no head (its worker cancels a body it already has).
  const letGo = () => controller.abort(new DOMException("the request was let go of", "AbortError"));
  caller?.letGo?.addEventListener("abort", letGo, { once: true });
  let response;
  try {
    response = await sendOverWire(
      {
        method: args.method,
        url: args.url,
        headers: admission.headers,
        body: args.body,
        trailers: args.trailers,
      },
      controller.signal,
    );
  } catch (error) {
    return failure(error, args);
  } finally {
    clearTimeout(headTimer);
    caller?.letGo?.removeEventListener("abort", letGo);
  }
  const bodyId = nextBodyId++;
  const body: OpenBody = {
    message: response.message,
    chunks: response.message[Symbol.asyncIterator]() as AsyncIterator<Buffer, undefined>,
    controller,
    args,
  };
  bodies.set(bodyId, body);
  idleFor(bodyId, body);
  // A job let go of reads no more of it: the upstream is let go of now, not at the time limit.
  const letGoOfBody = () => close(bodyId, body, "the request was let go of");
  caller?.letGo?.addEventListener("abort", letGoOfBody, { once: true });
  body.controller.signal.addEventListener("abort", () => caller?.letGo?.removeEventListener("abort", letGoOfBody), {
    once: true,
  });
  return { ok: true, status: response.status, headers: response.headers, bodyId };
}

/** The body's next chunk as it arrives, or its end with its trailers (where it is let go of). */
export async function readBody({ bodyId }: { bodyId: number }): Promise<BodyPart> {
  const body = bodies.get(bodyId);
  if (!body) throw new Error("the response body is closed: read to its end, cancelled, or left unread too long");
  // The upstream's silence counts as the guest's does: no chunk for the time limit ends it.
  idleFor(bodyId, body);
  try {
    const { done, value } = await body.chunks.next();
    if (body.closed) throw new Error(body.closed);
    if (done) {
      clearTimeout(body.idle);
      bodies.delete(bodyId);
      if (!body.message.complete) throw new Error(`${body.args.method} ${body.args.url}: the response ended early`);
      return { end: true, trailers: trailersOf(body.message) };
    }
    idleFor(bodyId, body);
    // A copy: a view would carry its whole pooled buffer across to the worker.
    return { chunk: new Uint8Array(value) };
  } catch (error) {
    clearTimeout(body.idle);
    bodies.delete(bodyId);
    throw new Error(body.closed ?? failure(error, body.args).message, { cause: error });
  }
}

/** The guest let go of the body before its end: the request is ended, its connection freed. */
export function cancelBody({ bodyId }: { bodyId: number }): Promise<void> {
  const body = bodies.get(bodyId);
  if (body) close(bodyId, body, "the guest let go of the response body");
  return Promise.resolve();
}

/** (Re)starts the body's time limit: past it with no read or no chunk, it is closed. */
function idleFor(bodyId: number, body: OpenBody): void {
  clearTimeout(body.idle);
  body.idle = setTimeout(
    () =>
      close(
        bodyId,
        body,
        `${body.args.method} ${body.args.url}: the response body was left unread, or sent nothing, for ${body.args.timeoutMs} ms`,
      ),
    body.args.timeoutMs,
  );
  // A body a guest forgot keeps no process alive (`wisp up` stopping waits for nothing here).
  body.idle.unref();
}

function close(bodyId: number, body: OpenBody, reason: string): void {
  clearTimeout(body.idle);
  body.closed = reason;
  bodies.delete(bodyId);
  body.controller.abort();
  body.message.destroy();
}

/** How many bodies are open (for tests: none is left behind). */
export function openBodies(): number {
  return bodies.size;
}
