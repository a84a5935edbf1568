export { rdbms } from "./capability.js";
export type { SqlCallArgs } from "./postgres-pools.js";
