// Wisp's build runs this before a handler's own code (src/toolchain/js/bundle.ts); not for import.
//
// Why: the engine inside componentize-js 0.23 (StarlingMonkey) turns every error the host's
// wasi:http `outgoing-handler.handle` returns into "fetch_https: An error occurred while using the
// host API.", without the error code. The host (Wisp, and Spin alike) refuses a request there for
// two reasons only: a target that is not a valid http(s) URL (HTTP-request-URI-invalid), or a host
// the component may not reach (HTTP-request-denied); a request that was sent and failed (refused
// connection, DNS, too large) fails later, as "NetworkError when attempting to fetch resource". So
// a fetch of a valid http(s) URL refused that way was denied: this says so, naming the entry of
// `allowed_outbound_hosts` to add, as the host's log line does. Every other error passes unchanged.

const nativeFetch = globalThis.fetch;
const REFUSED_BY_HOST = "An error occurred while using the host API";

/** The URL a fetch was given, or undefined if it is not one. */
function targetOf(input) {
  try {
    return new URL(typeof input === "object" && input !== null && "url" in input ? input.url : String(input));
  } catch {
    return undefined;
  }
}

/** What to add to allowed_outbound_hosts for `url`: its origin, or `self` for the app itself. */
function grantFor(url) {
  return url.hostname === "self.alt" ? "self" : `${url.protocol}//${url.host}`;
}

globalThis.fetch = async function fetch(input, init) {
  try {
    return await nativeFetch(input, init);
  } catch (error) {
    const url = targetOf(input);
    const refused = error instanceof Error && String(error.message).includes(REFUSED_BY_HOST);
    if (!refused || !url || (url.protocol !== "http:" && url.protocol !== "https:")) throw error;
    throw new TypeError(
      `HTTP-request-denied: the host refused a request to ${url.origin}: add "${grantFor(url)}" to this component's allowed_outbound_hosts in the manifest to allow it`,
      { cause: error },
    );
  }
};
