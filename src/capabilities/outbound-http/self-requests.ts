import type { HostCaller } from "../../engine/worker/protocol.js";
import type { FetchOutcome } from "./host-calls.js";

/**
 * Requests a component makes to its own app (`self`) are counted, so a component that calls
 * itself in a loop (A calls A calls A...) is cut off instead of holding threads until its deadline.
 * Main stamps each self request with its depth, one more than the request whose guest made it
 * (Envoy's and Cloudflare's loop detection work the same way); the server reads the number and
 * strips it, so a guest never sees it, and whatever a guest sets is replaced.
 *
 * The number is not signed, and needs not be: a client that sends it can only make its own
 * requests' self requests refused sooner. A guest cannot lower it (main writes it from the depth
 * of the job that made the call, not from anything the guest sends).
 */
export const SELF_DEPTH_HEADER = "wisp-self-depth";

/** Self requests nested deeper than this are refused with 508 Loop Detected. */
export const MAX_SELF_DEPTH = 10;

/** An incoming request's self-request depth (0 for a client's own request), and its headers without the stamp. */
export function takeSelfDepth(headers: ReadonlyArray<readonly [string, string]>): {
  depth: number;
  headers: Array<[string, string]>;
} {
  let depth = 0;
  const rest: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== SELF_DEPTH_HEADER) rest.push([name, value]);
    // The largest, should there be several: a client's extra copy cannot hide main's.
    else if (/^\s*\d{1,4}\s*$/.test(value)) depth = Math.max(depth, Number(value));
  }
  return { depth, headers: rest };
}

/**
 * Main: whether the self request a guest makes may go, and with what headers; or the response it
 * gets instead (logged with the component and the depth). Refused when it would be nested past
 * MAX_SELF_DEPTH (508), or when the pool can park no more threads waiting on self requests (503:
 * waiting could deadlock). Admitted, the caller's thread is parked until the answer comes.
 */
export function admitSelfRequest(
  headers: ReadonlyArray<readonly [string, string]>,
  caller: HostCaller,
  log: (line: string) => void,
): { headers: Array<[string, string]> } | FetchOutcome {
  const depth = caller.chainDepth + 1;
  if (depth > MAX_SELF_DEPTH) {
    log(
      `[${caller.guestId}] wisp: loop detected: a request to the app itself would be ${depth} self requests deep (the limit is ${MAX_SELF_DEPTH}); it was answered 508 Loop Detected`,
    );
    return refusal(508, `loop detected: more than ${MAX_SELF_DEPTH} nested requests to the app itself\n`);
  }
  if (!caller.park()) {
    log(
      `[${caller.guestId}] wisp: a request to the app itself (${depth} deep) was answered 503: too many guests are waiting on requests to the app already`,
    );
    return refusal(503, "too many requests to the app itself are in progress\n");
  }
  return { headers: [...takeSelfDepth(headers).headers, [SELF_DEPTH_HEADER, String(depth)]] };
}

function refusal(status: number, text: string): FetchOutcome {
  return {
    ok: true,
    status,
    headers: [["content-type", "text/plain; charset=utf-8"]],
    body: new TextEncoder().encode(text),
  };
}
