import type { HostCaller } from "../../engine/worker/protocol.js";
import type { FetchArgs, FetchOutcome } from "./host-calls.js";
import { TRANSPORT_HEADERS } from "./http-transport.js";
import { admitSelfRequest } from "./self-requests.js";

export type { FetchArgs, FetchOutcome } from "./host-calls.js";

/**
 * Main thread: sends one outbound request for a guest (Node's fetch, whose connection pool all
 * workers share). Redirects are not followed here: wasi:http leaves that to the guest, so every
 * hop comes back through the allow-list. The body is read up to `maxResponseBytes`.
 * `caller`: the job that asks (a self request needs it; without it, one is counted as a client's).
 */
export async function fetchForGuest(
  args: FetchArgs,
  caller?: HostCaller,
  log: (line: string) => void = (line) => process.stderr.write(line + "\n"),
): Promise<FetchOutcome> {
  // A job main let go of (its client left, its deadline passed) needs its response no more.
  const signal = caller?.letGo
    ? AbortSignal.any([AbortSignal.timeout(args.timeoutMs), caller.letGo])
    : AbortSignal.timeout(args.timeoutMs);
  const sent = await send(args, caller, log, signal);
  if (!(sent instanceof Response)) return sent;
  const response = sent;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > args.maxResponseBytes) {
          return {
            ok: false,
            error: { tag: "HTTP-response-body-size", val: BigInt(size) },
            message: `the response from ${args.url} is larger than ${args.maxResponseBytes} bytes`,
          };
        }
        chunks.push(chunk);
      }
    }
  } catch (error) {
    return failure(error, args);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, status: response.status, headers: [...response.headers], body };
}

/**
 * The headers a request goes out with: a self request is admitted first (stamped with its
 * depth), or answered instead (its 508 or 503), which is the outcome returned.
 */
export function admitted(
  args: FetchArgs,
  caller: HostCaller | undefined,
  log: (line: string) => void,
): { headers: ReadonlyArray<readonly [string, string]> } | { answered: FetchOutcome } {
  if (!args.self) return { headers: args.headers };
  const admission = admitSelfRequest(args.headers, caller ?? { guestId: "?", chainDepth: 0, park: () => true }, log);
  return "ok" in admission ? { answered: admission } : admission;
}

/**
 * Sends the request (admitting a self request first) and answers the response whose head has
 * come, its body still to read; or the outcome the guest gets instead (a failure, or a self
 * request refused with its 508 or 503). `signal` ends it.
 */
async function send(
  args: FetchArgs,
  caller: HostCaller | undefined,
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<Response | FetchOutcome> {
  const admission = admitted(args, caller, log);
  if ("answered" in admission) return admission.answered;
  const headers = new Headers();
  for (const [name, value] of admission.headers)
    if (!TRANSPORT_HEADERS.has(name.toLowerCase())) headers.append(name, value);
  try {
    return await fetch(args.url, {
      method: args.method,
      headers,
      body:
        args.body && args.body.length > 0 && args.method !== "GET" && args.method !== "HEAD"
          ? Buffer.from(args.body)
          : undefined,
      redirect: "manual",
      signal,
    });
  } catch (error) {
    return failure(error, args);
  }
}

export function failure(error: unknown, args: FetchArgs): Extract<FetchOutcome, { ok: false }> {
  // fetch puts the system's code on its error's cause; node:http on the error, and an abort's
  // reason (a timeout) on its cause. A DOMException's own `code` is a number, never one of these.
  const cause = (error as { cause?: { code?: unknown; name?: string } }).cause;
  const own = error as { code?: unknown; name?: string };
  const code =
    [cause?.code, cause?.name === "TimeoutError" ? cause.name : undefined, own.code, own.name].find(
      (candidate): candidate is string => typeof candidate === "string" && candidate.length > 0,
    ) ?? "";
  const message = `${args.method} ${args.url}: ${(cause as Error | undefined)?.message ?? (error as Error).message}`;
  if (code === "TimeoutError") return { ok: false, error: { tag: "connection-timeout" }, message };
  if (code === "ECONNREFUSED") return { ok: false, error: { tag: "connection-refused" }, message };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { ok: false, error: { tag: "DNS-error", val: { rcode: code, infoCode: undefined } }, message };
  if (code === "ECONNRESET") return { ok: false, error: { tag: "connection-terminated" }, message };
  return { ok: false, error: { tag: "internal-error", val: message }, message };
}
