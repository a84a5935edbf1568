export { SERVED_INTERFACES, wasiP2Imports } from "./host-imports.js";
export { GuestExit, type CliContext } from "./cli-filesystem.js";
export { FutureIncomingResponse, IncomingRequest, IncomingResponse, OutgoingRequest, RequestOptions, ResponseOutparam, type IncomingRequestData } from "./http-types.js";
