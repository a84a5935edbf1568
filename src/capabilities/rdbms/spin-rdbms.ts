import { callHost, HostCallFailed } from "../../engine/worker/host-call.js";
import type { AllowedHost } from "../outbound-http/allowed-hosts.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-http/outbound-address.js";
import type { SqlCallArgs } from "./postgres-pools.js";
import type { ParameterValue, RowSet } from "./rdbms-values.js";

interface Flavour extends AddressKind {
  query: string;
  execute: string;
  temporalTuples?: boolean;
}

const FLAVOURS = {
  postgres: {
    name: "a PostgreSQL connection", defaultPorts: { "postgres:": "5432", "postgresql:": "5432" },
    query: "postgres.query", execute: "postgres.execute",
  },
  postgres3: {
    name: "a PostgreSQL connection", defaultPorts: { "postgres:": "5432", "postgresql:": "5432" },
    query: "postgres.query", execute: "postgres.execute", temporalTuples: true,
  },
  mysql: { name: "a MySQL connection", defaultPorts: { "mysql:": "3306" }, query: "mysql.query", execute: "mysql.execute" },
} satisfies Record<string, Flavour>;

function call<T>(op: string, args: SqlCallArgs): T {
  try {
    return callHost<T>(op, args);
  } catch (error) {
    if (error instanceof HostCallFailed) throw { tag: "query-failed", val: error.message };
    throw error;
  }
}

/**
 * `fermyon:spin/postgres@2.0.0`, `spin:postgres/postgres@3.0.0` (same calls, its own error
 * variant with the same cases, dates and times as tuples) or `fermyon:spin/mysql@2.0.0` for one instance: `Connection.open`
 * takes an address `allowed_outbound_hosts` allows (e.g. "postgres://db.internal:5432");
 * statements run on main's pool for that address.
 */
function rdbms(flavour: Flavour, allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Connection {
      const refused = checkOutboundAddress(address, flavour, allowed, log);
      if (refused?.reason === "invalid") {
        throw { tag: "connection-failed", val: `"${address}" is not a ${Object.keys(flavour.defaultPorts).join(" or ")} URL` };
      }
      if (refused) throw { tag: "connection-failed", val: refused.message };
      return new Connection(address);
    }

    query(statement: string, params: ParameterValue[]): RowSet {
      return call<RowSet>(flavour.query, { address: this.address, statement, params, temporalTuples: flavour.temporalTuples });
    }

    execute(statement: string, params: ParameterValue[]): bigint | undefined {
      return call<bigint | undefined>(flavour.execute, { address: this.address, statement, params, temporalTuples: flavour.temporalTuples });
    }
  }
  return { Connection };
}

export const spinPostgres = (allowed: readonly AllowedHost[], log: (line: string) => void) => rdbms(FLAVOURS.postgres, allowed, log);
export const spinPostgres3 = (allowed: readonly AllowedHost[], log: (line: string) => void) => rdbms(FLAVOURS.postgres3, allowed, log);
export const spinMysql = (allowed: readonly AllowedHost[], log: (line: string) => void) => rdbms(FLAVOURS.mysql, allowed, log);
