import { Fields } from "@bytecodealliance/preview3-shim/http/fields";
import { Request, RequestOptions } from "@bytecodealliance/preview3-shim/http/request";
import { Response } from "@bytecodealliance/preview3-shim/http/response";

/**
 * wasi:http 0.3's `types`: the resources of preview3-shim (the Bytecode Alliance's WASI 0.3 host
 * for Node, written for the glue Wisp uses), whose fields refuse the headers a guest may not set.
 */
export const httpTypes = { Fields, Request, RequestOptions, Response };
