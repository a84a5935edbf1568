export {
  P3_GLUE_NAMES,
  P3_INTERFACES,
  WASI_P3_SERVED,
  WASI_P3_VERSION,
  WASI_P3_VERSIONS,
  p3Imports,
  type P3RunHost,
  type P3Stdio,
} from "./host-imports.js";
export { HandlerError, incomingRequest, serveWith, type P3Handler } from "./http-handler.js";
export { NO_STDIN } from "./cli.js";
export { P3Filesystem } from "./filesystem.js";
export { P3Network } from "./sockets.js";
