import type { Capability } from "../capability.js";
import { lazyModule } from "../lazy-module.js";
import type { HostCallHandlersFor } from "../../engine/worker/protocol.js";
import type { RdbmsHostCalls } from "./host-calls.js";

const postgres = lazyModule(() => import("./postgres-pools.js"));
// spin:postgres@4.0.0 runs on postgres-pools' pools: closing those closes its connections too.
const postgres4 = lazyModule(() => import("./postgres-v4.js"));
const mysql = lazyModule(() => import("./mysql-pools.js"));

/** Relational databases: PostgreSQL and MySQL servers `allowed_outbound_hosts` allows, through one pool per address on main. */
export const rdbms: Capability = {
  name: "rdbms",
  interfaces: {
    "fermyon:spin/postgres": "fermyon:spin@2.0.0",
    "fermyon:spin/mysql": "fermyon:spin@2.0.0",
    "fermyon:spin/rdbms-types": "fermyon:spin@2.0.0",
    "spin:postgres/postgres@3.0.0": "spin:postgres@3.0.0",
    "spin:postgres/postgres@4.0.0": "spin:postgres@4.0.0",
  },
  asyncInterfaces: { "spin:mysql/mysql": "spin:mysql@3.0.0" },
  suspending: {
    ...Object.fromEntries(
      [
        "fermyon:spin/postgres",
        "fermyon:spin/mysql",
        "spin:postgres/postgres@3.0.0",
        "spin:postgres/postgres@4.0.0",
      ].map((name) => [name, ["[method]connection.query", "[method]connection.execute"]]),
    ),
    "fermyon:spin/rdbms-types": [],
  },
  manifestKeys: [],
  guestImports: async () => (await import("./guest-imports.js")).rdbmsImports,
  hostCalls: {
    "postgres.query": async (args) => (await postgres()).postgresQuery(args),
    "postgres.execute": async (args) => (await postgres()).postgresExecute(args),
    "postgres4.query": async (args) => (await postgres4()).postgres4Query(args),
    "postgres4.execute": async (args) => (await postgres4()).postgres4Execute(args),
    "mysql.query": async (args) => (await mysql()).mysqlQuery(args),
    "mysql.execute": async (args) => (await mysql()).mysqlExecute(args),
  } satisfies HostCallHandlersFor<RdbmsHostCalls>,
  close: async () => {
    await Promise.all([
      postgres.used || postgres4.used ? postgres().then((m) => m.closePostgresPools()) : undefined,
      mysql.used ? mysql().then((m) => m.closeMysqlPools()) : undefined,
    ]);
  },
};
