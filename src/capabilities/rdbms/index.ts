export { rdbms } from "./capability.js";
export type { RdbmsHostCalls, SqlCallArgs } from "./host-calls.js";
