import { callHost, HostCallFailed } from "../../engine/worker/host-call.js";
import { isAllowed, type AllowedHost } from "../outbound-http/allowed-hosts.js";
import type { SqlCallArgs } from "./postgres-pools.js";
import type { ParameterValue, RowSet } from "./rdbms-values.js";

interface Flavour {
  /** The URL schemes its addresses use. */
  schemes: string[];
  defaultPort: string;
  query: string;
  execute: string;
  name: string;
}

const FLAVOURS = {
  postgres: { schemes: ["postgres:", "postgresql:"], defaultPort: "5432", query: "postgres.query", execute: "postgres.execute", name: "PostgreSQL" },
  mysql: { schemes: ["mysql:"], defaultPort: "3306", query: "mysql.query", execute: "mysql.execute", name: "MySQL" },
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
 * `fermyon:spin/postgres@2.0.0` or `fermyon:spin/mysql@2.0.0` for one instance: `Connection.open`
 * takes an address `allowed_outbound_hosts` allows (e.g. "postgres://db.internal:5432");
 * statements run on main's pool for that address.
 */
function rdbms(flavour: Flavour, allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Connection {
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw { tag: "connection-failed", val: `"${address}" is not a ${flavour.name} URL` };
      }
      if (!flavour.schemes.includes(url.protocol)) throw { tag: "connection-failed", val: `"${address}" is not a ${flavour.name} URL` };
      const check = new URL(`${url.protocol}//${url.hostname}:${url.port || flavour.defaultPort}`);
      if (!isAllowed(allowed, check)) {
        log(`wisp: denied a ${flavour.name} connection to ${check.host}: add "${check.protocol}//${check.host}" to allowed_outbound_hosts to allow it`);
        throw { tag: "connection-failed", val: `access denied: ${check.host} is not in allowed_outbound_hosts` };
      }
      return new Connection(address);
    }

    query(statement: string, params: ParameterValue[]): RowSet {
      return call<RowSet>(flavour.query, { address: this.address, statement, params });
    }

    execute(statement: string, params: ParameterValue[]): bigint | undefined {
      return call<bigint | undefined>(flavour.execute, { address: this.address, statement, params });
    }
  }
  return { Connection };
}

export const spinPostgres = (allowed: readonly AllowedHost[], log: (line: string) => void) => rdbms(FLAVOURS.postgres, allowed, log);
export const spinMysql = (allowed: readonly AllowedHost[], log: (line: string) => void) => rdbms(FLAVOURS.mysql, allowed, log);
