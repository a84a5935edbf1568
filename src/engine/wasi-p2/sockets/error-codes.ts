import type { ErrorCode } from "../../../generated/wasi@0.2.12/interfaces/wasi-sockets-network.js";

export type { ErrorCode };

/** wasi:sockets' error-code of a node:net, node:dgram or node:dns failure, by its code. */
const NODE_CODES: Readonly<Record<string, ErrorCode>> = {
  ECONNREFUSED: "connection-refused",
  ECONNRESET: "connection-reset",
  ECONNABORTED: "connection-aborted",
  EPIPE: "connection-reset",
  EHOSTUNREACH: "remote-unreachable",
  ENETUNREACH: "remote-unreachable",
  EHOSTDOWN: "remote-unreachable",
  ENETDOWN: "remote-unreachable",
  ETIMEDOUT: "timeout",
  EADDRINUSE: "address-in-use",
  EADDRNOTAVAIL: "address-not-bindable",
  EACCES: "access-denied",
  EPERM: "access-denied",
  EINVAL: "invalid-argument",
  EMSGSIZE: "datagram-too-large",
  EMFILE: "new-socket-limit",
  ENFILE: "new-socket-limit",
  ENOMEM: "out-of-memory",
  ENOBUFS: "out-of-memory",
  ENOTFOUND: "name-unresolvable",
  ENODATA: "name-unresolvable",
  EAI_AGAIN: "temporary-resolver-failure",
  EAI_FAIL: "permanent-resolver-failure",
};

/** The error-code of a failure node gave (`unknown` for one it has no name for). */
export function errorCodeOf(error: unknown): ErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (code && NODE_CODES[code]) || "unknown";
}

/**
 * Fails a socket call with `code`, as jco's glue takes a host's failure for a `result` whose
 * error is an enum: the case's name thrown as it is.
 */
export function fail(code: ErrorCode): never {
  throw code;
}
