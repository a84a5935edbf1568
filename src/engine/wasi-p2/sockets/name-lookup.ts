import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { parseIp, type IpAddress } from "../../network/index.js";
import { Pollable } from "../io.js";
import { errorCodeOf, fail, type ErrorCode } from "./error-codes.js";

/** What a run's name lookups ask of it (see P2Network). */
export interface LookupRun {
  /** Fails with `access-denied` (telling the grant) unless the run may look `name` up. */
  checkLookup(name: string): void;
  /** `name` resolved to these: a grant written with the name now allows them. */
  resolved(name: string, addresses: readonly IpAddress[]): void;
}

/**
 * wasi:sockets/ip-name-lookup 0.2 `resolve-addresses`: the addresses `name` resolves to, by the
 * system's resolver (getaddrinfo, as wasmtime's), looked up in the background: the stream's
 * pollable is ready once they are there. An IP address is its own answer; a name that is neither
 * is `invalid-argument`.
 */
export function resolveAddresses(run: LookupRun, name: string): ResolveAddressStream {
  const literal = parseIp(name.replace(/^\[(.*)\]$/, "$1"));
  const host = literal ? undefined : domainToASCII(name);
  if (!literal && (!host || isIP(host) !== 0 || !/^[a-z0-9.-]+$/.test(host))) fail("invalid-argument");
  run.checkLookup(name);
  if (literal) return new ResolveAddressStream(Promise.resolve([literal]));
  return new ResolveAddressStream(
    lookup(host!, { all: true, order: "verbatim" }).then((found) => {
      const addresses = found.flatMap(({ address }) => parseIp(address) ?? []);
      run.resolved(name, addresses);
      return addresses;
    }),
  );
}

/** wasi:sockets/ip-name-lookup 0.2 `resolve-address-stream`: the addresses, one per call, once looked up. */
export class ResolveAddressStream {
  private addresses: IpAddress[] | undefined;
  private failure: ErrorCode | undefined;
  private readonly settled: Promise<void>;

  constructor(found: Promise<IpAddress[]>) {
    this.settled = found.then(
      (addresses) => {
        this.addresses = addresses;
      },
      (error: unknown) => {
        this.failure = errorCodeOf(error);
        this.addresses = [];
      },
    );
  }

  resolveNextAddress(): IpAddress | undefined {
    if (!this.addresses) fail("would-block");
    const failure = this.failure;
    // The failure is the next call's answer, once; after it, the stream is at its end.
    if (failure) {
      this.failure = undefined;
      fail(failure === "unknown" ? "name-unresolvable" : failure);
    }
    return this.addresses.shift();
  }

  subscribe(): Pollable {
    return new Pollable(
      () => this.addresses !== undefined,
      undefined,
      () => this.settled,
    );
  }
}
