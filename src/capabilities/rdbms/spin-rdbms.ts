import { hostCall, witError } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-networking/index.js";
import type { SqlCallArgs } from "./postgres-pools.js";
import type { V4Result } from "./postgres-v4.js";
import type { ParameterValue } from "./rdbms-values.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinMysql from "../../generated/fermyon-spin/interfaces/fermyon-spin-mysql.js";
import type * as SpinPostgres from "../../generated/fermyon-spin/interfaces/fermyon-spin-postgres.js";
import type * as SpinPostgres3 from "../../generated/spin-postgres@3.0.0/interfaces/spin-postgres-postgres.js";
import type * as SpinPostgres4 from "../../generated/spin-postgres@4.0.0/interfaces/spin-postgres-postgres.js";

interface Flavour extends AddressKind {
  query: string;
  execute: string;
  temporalTuples?: boolean;
  /** spin:postgres@4.0.0: main answers `{ ok } | { error }`, and a failed query's error is a query-error variant. */
  answersVariants?: boolean;
}

// The query parameters each driver may read. pg also reads host, port and certificate files
// (sslrootcert...) from the query, mysql2 socketPath: those would connect somewhere unchecked.
const POSTGRES = {
  name: "a PostgreSQL connection",
  defaultPorts: { "postgres:": "5432", "postgresql:": "5432" },
  params: ["sslmode", "ssl", "application_name", "options"],
} satisfies AddressKind;

const FLAVOURS = {
  postgres: { ...POSTGRES, query: "postgres.query", execute: "postgres.execute" },
  postgres3: { ...POSTGRES, query: "postgres.query", execute: "postgres.execute", temporalTuples: true },
  postgres4: { ...POSTGRES, query: "postgres4.query", execute: "postgres4.execute", answersVariants: true },
  mysql: {
    name: "a MySQL connection",
    defaultPorts: { "mysql:": "3306" },
    params: ["ssl", "charset"],
    query: "mysql.query",
    execute: "mysql.execute",
  },
} satisfies Record<string, Flavour>;

/** A case every version's error variant has, in the same shape (MySQL's is fermyon:spin/rdbms-types', as 2.0.0 PostgreSQL's). */
type EveryVersionError = SpinPostgres.Error & SpinPostgres3.Error & SpinPostgres4.Error;

function call<T>(flavour: Flavour, op: string, args: SqlCallArgs): T {
  const answer = hostCall<T | V4Result<T>>(op, args, (message) =>
    witError("query-failed", flavour.answersVariants ? witError("text", message) : message),
  );
  if (!flavour.answersVariants) return answer as T;
  const variant = answer as V4Result<T>;
  if ("error" in variant) throw variant.error;
  return variant.ok;
}

/**
 * `fermyon:spin/postgres@2.0.0`, `spin:postgres/postgres@3.0.0` (same calls, its own error
 * variant with the same cases, dates and times as tuples), `spin:postgres/postgres@4.0.0` (more
 * types, structured query errors) or `fermyon:spin/mysql@2.0.0` for one instance: `Connection.open`
 * takes an address `allowed_outbound_hosts` allows (e.g. "postgres://db.internal:5432");
 * statements run on main's pool for that address. `Rows` and `Executed` are the version's own
 * types: main answers each version in its shape (rdbms-values, postgres-v3-values, postgres-v4).
 */
function rdbms<Rows, Executed>(flavour: Flavour, allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly address: string) {}

    static open(address: string): Connection {
      const checked = checkOutboundAddress(address, flavour, allowed, log);
      if (!checked.ok) throw witError("connection-failed", checked.message) satisfies EveryVersionError;
      // The checked address, normalised: pg and mysql2 read it with the URL Standard, as the check did.
      return new Connection(checked.address);
    }

    query(statement: string, params: ParameterValue[]): Rows {
      return call<Rows>(flavour, flavour.query, {
        address: this.address,
        statement,
        params,
        temporalTuples: flavour.temporalTuples,
      });
    }

    execute(statement: string, params: ParameterValue[]): Executed {
      return call<Executed>(flavour, flavour.execute, {
        address: this.address,
        statement,
        params,
        temporalTuples: flavour.temporalTuples,
      });
    }
  }
  return { Connection };
}

export const spinPostgres = (allowed: readonly AllowedHost[], log: (line: string) => void) =>
  rdbms<SpinPostgres.RowSet, bigint>(FLAVOURS.postgres, allowed, log) satisfies HostImplementation<typeof SpinPostgres>;
export const spinPostgres3 = (allowed: readonly AllowedHost[], log: (line: string) => void) =>
  rdbms<SpinPostgres3.RowSet, bigint>(FLAVOURS.postgres3, allowed, log) satisfies HostImplementation<
    typeof SpinPostgres3
  >;
export const spinPostgres4 = (allowed: readonly AllowedHost[], log: (line: string) => void) =>
  rdbms<SpinPostgres4.RowSet, bigint>(FLAVOURS.postgres4, allowed, log) satisfies HostImplementation<
    typeof SpinPostgres4
  >;
export const spinMysql = (allowed: readonly AllowedHost[], log: (line: string) => void) =>
  rdbms<SpinMysql.RowSet, void>(FLAVOURS.mysql, allowed, log) satisfies HostImplementation<typeof SpinMysql>;
