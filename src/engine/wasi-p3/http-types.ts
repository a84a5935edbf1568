import { Fields } from "@bytecodealliance/preview3-shim/http/fields";
import { Request, RequestOptions } from "@bytecodealliance/preview3-shim/http/request";
import { Response } from "@bytecodealliance/preview3-shim/http/response";

/**
 * wasi:http 0.3's `types`: the resources of preview3-shim (the Bytecode Alliance's WASI 0.3 host
 * for Node, written for the glue Wisp uses), whose fields refuse the headers a guest may not set.
 */
export const httpTypes = { Fields, Request, RequestOptions, Response };

/**
 * `wasi:http/client` where no capability serves it (`wisp run`): every request is refused, as
 * 0.2's default outgoing handler refuses it. A served component gets the outbound HTTP
 * capability's, which checks its grant.
 */
export const deniedClient = {
  send: (): Promise<{ tag: "err"; val: { tag: "HTTP-request-denied" } }> =>
    Promise.resolve({ tag: "err", val: { tag: "HTTP-request-denied" } }),
};
