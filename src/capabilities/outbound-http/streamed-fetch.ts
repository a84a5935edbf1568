import type { HostCaller } from "../../engine/worker/protocol.js";
import { failure, send } from "./fetch-host-call.js";
import type { FetchArgs, OpenedOutcome } from "./host-calls.js";

/** A response body a guest reads as it arrives, held on main between its reads. */
interface OpenBody {
  reader: ReadableStreamDefaultReader<Uint8Array>;
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
 * Main thread: sends a wasi:http 0.3 guest's request and answers as soon as the head has come;
 * the body stays open here, read a chunk at a time as the guest reads it (readBody), so nothing
 * is buffered and the guest sees bytes as the upstream sends them. The request's time limit runs
 * to the head, then between the guest's reads: a body left unread that long is let go of.
 */
export async function openForGuest(
  args: FetchArgs,
  caller?: HostCaller,
  log: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Promise<OpenedOutcome> {
  const controller = new AbortController();
  const headTimer = setTimeout(
    () => controller.abort(new DOMException(`no response in ${args.timeoutMs} ms`, "TimeoutError")),
    args.timeoutMs,
  );
  const sent = await send(args, caller, log, controller.signal).finally(() => clearTimeout(headTimer));
  if (!(sent instanceof Response)) return sent;
  const head = { ok: true as const, status: sent.status, headers: [...sent.headers] };
  if (!sent.body) return { ...head, body: new Uint8Array() };
  const bodyId = nextBodyId++;
  const body: OpenBody = { reader: sent.body.getReader(), controller, args };
  bodies.set(bodyId, body);
  idleFor(bodyId, body);
  return { ...head, bodyId };
}

/** The body's next chunk as it arrives, or null at its end (where it is let go of). */
export async function readBody({ bodyId }: { bodyId: number }): Promise<Uint8Array | null> {
  const body = bodies.get(bodyId);
  if (!body) throw new Error("the response body is closed: read to its end, cancelled, or left unread too long");
  // The upstream's silence counts as the guest's does: no chunk for the time limit ends it.
  idleFor(bodyId, body);
  try {
    const { done, value } = await body.reader.read();
    if (body.closed) throw new Error(body.closed);
    if (done) {
      clearTimeout(body.idle);
      bodies.delete(bodyId);
      return null;
    }
    idleFor(bodyId, body);
    return value;
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
  body.reader.cancel().catch(() => {});
}

/** How many bodies are open (for tests: none is left behind). */
export function openBodies(): number {
  return bodies.size;
}
