import { hostCall, witError } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-networking/index.js";
import type { RdbmsHostCalls, SqlCallArgs, V4Result } from "./host-calls.js";
import type { ParameterValue } from "./rdbms-values.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinMysql from "../../generated/fermyon-spin/interfaces/fermyon-spin-mysql.js";
import type * as SpinPostgres from "../../generated/fermyon-spin/interfaces/fermyon-spin-postgres.js";
import type * as SpinPostgres3 from "../../generated/spin-postgres@3.0.0/interfaces/spin-postgres-postgres.js";
import type * as SpinPostgres4 from "../../generated/spin-postgres@4.0.0/interfaces/spin-postgres-postgres.js";
import { hostCallsOf } from "../../engine/worker/host-call.js";

const callMain = hostCallsOf<RdbmsHostCalls>();

/** Host calls whose answer is the row set or count itself. */
interface AnswersAsIs {
  query: "postgres.query" | "mysql.query";
  execute: "postgres.execute" | "mysql.execute";
  answersVariants?: false;
}

/** spin:postgres@4.0.0: main answers `{ ok } | { error }`, and a failed query's error is a query-error variant. */
interface AnswersVariants {
  query: "postgres4.query";
  execute: "postgres4.execute";
  answersVariants: true;
}

type Flavour = AddressKind & { temporalTuples?: boolean } & (AnswersAsIs | AnswersVariants);

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

/**
 * Runs a statement on main (`query` or `execute`), answering its rows or count; a failure there
 * is the version's `query-failed`, and a 4.0.0 answer's error is thrown as the guest's own.
 */
function call(flavour: Flavour, kind: "query" | "execute", args: SqlCallArgs) {
  const toError = (message: string) =>
    witError("query-failed", flavour.answersVariants ? witError("text", message) : message);
  if (!flavour.answersVariants) return hostCall(() => callMain(flavour[kind], args), toError);
  return okOrThrow(hostCall(() => callMain(flavour[kind], args), toError));
}

function okOrThrow<Answer extends V4Result<unknown>>(answer: Answer): Extract<Answer, { ok: unknown }>["ok"] {
  if ("error" in answer) throw answer.error;
  return answer.ok;
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

    // Main builds each version's own rows (rdbms-values, postgres-v3-values, postgres-v4-values),
    // typed there more loosely than the version's generated types: read here as the version's.
    query(statement: string, params: ParameterValue[]): Rows {
      return call(flavour, "query", this.args(statement, params)) as Rows;
    }

    execute(statement: string, params: ParameterValue[]): Executed {
      return call(flavour, "execute", this.args(statement, params)) as Executed;
    }

    private args(statement: string, params: ParameterValue[]): SqlCallArgs {
      return { address: this.address, statement, params, temporalTuples: flavour.temporalTuples };
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
