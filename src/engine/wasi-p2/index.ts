export { SERVED_INTERFACES, WasiP2Host } from "./host-imports.js";
export { SUSPENDING_WASI_IMPORTS } from "./io.js";
export type { GrantedDirectory } from "./filesystem.js";
export { GuestExit, type CliEnvironment, type CliStdio } from "./cli-filesystem.js";
export {
  FutureIncomingResponse,
  IncomingRequest,
  IncomingResponse,
  OutgoingRequest,
  RequestOptions,
  ResponseOutparam,
  type IncomingRequestData,
} from "./http-types.js";
export {
  INCOMING_HANDLER_VERSIONS,
  RELEASE_GLUE_NAMES,
  handlerCall,
  releaseCandidatesServed,
  withReleaseCandidates,
  type HandlerCall,
} from "./releases/index.js";
