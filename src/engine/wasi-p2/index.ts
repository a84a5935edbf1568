export { SERVED_INTERFACES, wasiP2Imports } from "./host-imports.js";
export { GuestExit, type CliContext } from "./cli-filesystem.js";
export { IncomingRequest, ResponseOutparam, type IncomingRequestData } from "./http-types.js";
