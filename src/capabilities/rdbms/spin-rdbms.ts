import { awaitHostCall, hostCall, witError, witOk } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-networking/index.js";
import type { RdbmsHostCalls, SqlCallArgs, V4Result } from "./host-calls.js";
import type { ParameterValue } from "./rdbms-values.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinMysql from "../../generated/fermyon-spin/interfaces/fermyon-spin-mysql.js";
import type * as SpinMysql3 from "../../generated/spin-mysql@3.0.0/interfaces/spin-mysql-mysql.js";
import type * as SpinPostgres from "../../generated/fermyon-spin/interfaces/fermyon-spin-postgres.js";
import type * as SpinPostgres3 from "../../generated/spin-postgres@3.0.0/interfaces/spin-postgres-postgres.js";
import type * as SpinPostgres4 from "../../generated/spin-postgres@4.0.0/interfaces/spin-postgres-postgres.js";
import type * as SpinPostgres42 from "../../generated/spin-postgres@4.2.0/interfaces/spin-postgres-postgres.js";
import { asyncHostCallsOf, hostCallsOf } from "../../engine/worker/host-call.js";

const callMain = hostCallsOf<RdbmsHostCalls>();
const callMainAsync = asyncHostCallsOf<RdbmsHostCalls>();

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

/** What a version's failure on main is: its `query-failed`, with a 4.x error's `text` case. */
function failure(flavour: Flavour) {
  return (message: string) => witError("query-failed", flavour.answersVariants ? witError("text", message) : message);
}

/**
 * Runs a statement on main (`query` or `execute`), answering its rows or count; a failure there
 * is the version's `query-failed`, and a 4.x answer's error is thrown as the guest's own.
 */
function call(flavour: Flavour, kind: "query" | "execute", args: SqlCallArgs) {
  const answer = hostCall(() => callMain(flavour[kind], args), failure(flavour));
  return flavour.answersVariants ? okOrThrow(answer as V4Result<unknown>) : answer;
}

/** The same call awaited (Spin 4's `query-async`, `execute-async`): the thread runs on meanwhile. */
async function callAsync(flavour: Flavour, kind: "query" | "execute", args: SqlCallArgs) {
  const answer = await awaitHostCall(() => callMainAsync(flavour[kind], args), failure(flavour));
  return flavour.answersVariants ? okOrThrow(answer as V4Result<unknown>) : answer;
}

function okOrThrow<Answer extends V4Result<unknown>>(answer: Answer): Extract<Answer, { ok: unknown }>["ok"] {
  if ("error" in answer) throw answer.error;
  return answer.ok;
}

/** A connection's target: a checked address, and the CA roots a builder added (`set-ca-root`). */
interface Target {
  address: string;
  caRoots?: string[];
}

/**
 * `fermyon:spin/postgres@2.0.0`, `spin:postgres/postgres@3.0.0` (same calls, its own error
 * variant with the same cases, dates and times as tuples), `spin:postgres/postgres@4.x` (more
 * types, structured query errors; 4.1's `connection-builder`, 4.2's async functions with the rows
 * as a stream) or `fermyon:spin/mysql@2.0.0` for one instance: `Connection.open` takes an address
 * `allowed_outbound_hosts` allows (e.g. "postgres://db.internal:5432"); statements run on main's
 * pool for that address. `Rows` and `Executed` are the version's own types: main answers each
 * version in its shape (rdbms-values, postgres-v3-values, postgres-v4). For a suspending guest
 * (see GuestInstance.suspends), `query` and `execute` answer promises of the same, which its glue
 * awaits: the thread runs other requests while main talks to the database.
 */
function rdbms<Rows extends { columns: unknown[]; rows: unknown[] }, Executed>(
  flavour: Flavour,
  allowed: readonly AllowedHost[],
  log: (line: string) => void,
  suspends = false,
) {
  const answered = <T>(call: () => T): Promise<T> => Promise.resolve().then(call);

  /** The address checked against `allowed_outbound_hosts`, normalised as pg and mysql2 read it (the URL Standard). */
  function checked(address: string): string {
    const target = checkOutboundAddress(address, flavour, allowed, log);
    if (!target.ok) throw witError("connection-failed", target.message) satisfies EveryVersionError;
    return target.address;
  }

  class Connection {
    private constructor(private readonly target: Target) {}

    static open(address: string): Connection {
      return new Connection({ address: checked(address) });
    }

    static openAsync(address: string): Promise<Connection> {
      return answered(() => Connection.open(address));
    }

    /** A builder's connection (its own CA roots: main keeps a pool apart for them). */
    static build(address: string, caRoots: string[]): Connection {
      return new Connection({ address: checked(address), ...(caRoots.length > 0 ? { caRoots } : {}) });
    }

    // Main builds each version's own rows (rdbms-values, postgres-v3-values, postgres-v4-values),
    // typed there more loosely than the version's generated types: read here as the version's.
    // A suspending guest's answer is a promise of these, typed as the glue then reads it.
    query(statement: string, params: ParameterValue[]): Rows {
      const args = this.args(statement, params);
      return (suspends ? callAsync(flavour, "query", args) : call(flavour, "query", args)) as Rows;
    }

    execute(statement: string, params: ParameterValue[]): Executed {
      const args = this.args(statement, params);
      return (suspends ? callAsync(flavour, "execute", args) : call(flavour, "execute", args)) as Executed;
    }

    /**
     * The columns, the rows as a stream, and a future of whether all came: the query runs whole
     * on main first (its error the call's own), so the future is always ok.
     */
    async queryAsync(
      statement: string,
      params: ParameterValue[],
    ): Promise<[Rows["columns"], ReadableStream<Rows["rows"][number]>, Promise<{ tag: "ok"; val: undefined }>]> {
      const { columns, rows } = (await callAsync(flavour, "query", this.args(statement, params))) as Rows;
      const stream = new ReadableStream<Rows["rows"][number]>({
        start(controller) {
          for (const row of rows) controller.enqueue(row);
          controller.close();
        },
      });
      return [columns, stream, Promise.resolve(witOk(undefined))];
    }

    async executeAsync(statement: string, params: ParameterValue[]): Promise<Executed> {
      return (await callAsync(flavour, "execute", this.args(statement, params))) as Executed;
    }

    private args(statement: string, params: ParameterValue[]): SqlCallArgs {
      return { ...this.target, statement, params, temporalTuples: flavour.temporalTuples };
    }
  }

  /** spin:postgres@4.1.0's builder: an address, and CA roots to trust beside the system's for its TLS. */
  class ConnectionBuilder {
    private readonly caRoots: string[] = [];

    constructor(private readonly address: string) {}

    setCaRoot(certificate: string): void {
      if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(certificate))
        throw witError("other", "set-ca-root takes a certificate in PEM form (-----BEGIN CERTIFICATE-----)");
      this.caRoots.push(certificate);
    }

    build(): Connection {
      return Connection.build(this.address, this.caRoots);
    }

    buildAsync(): Promise<Connection> {
      return answered(() => this.build());
    }
  }
  return { Connection, ConnectionBuilder };
}

export const spinPostgres = (allowed: readonly AllowedHost[], log: (line: string) => void, suspends = false) => {
  const { Connection } = rdbms<SpinPostgres.RowSet, bigint>(FLAVOURS.postgres, allowed, log, suspends);
  return { Connection } satisfies HostImplementation<typeof SpinPostgres>;
};
export const spinPostgres3 = (allowed: readonly AllowedHost[], log: (line: string) => void, suspends = false) => {
  const { Connection } = rdbms<SpinPostgres3.RowSet, bigint>(FLAVOURS.postgres3, allowed, log, suspends);
  return { Connection } satisfies HostImplementation<typeof SpinPostgres3>;
};
/** Every 4.x release (4.0.0, 4.1's builder, Spin 4's 4.2 async functions): each adds to the last. */
export const spinPostgres4 = (allowed: readonly AllowedHost[], log: (line: string) => void, suspends = false) =>
  rdbms<SpinPostgres42.RowSet, bigint>(FLAVOURS.postgres4, allowed, log, suspends) satisfies HostImplementation<
    typeof SpinPostgres4
  > &
    HostImplementation<typeof SpinPostgres42>;
export const spinMysql = (allowed: readonly AllowedHost[], log: (line: string) => void, suspends = false) => {
  const { Connection } = rdbms<SpinMysql.RowSet, void>(FLAVOURS.mysql, allowed, log, suspends);
  return { Connection } satisfies HostImplementation<typeof SpinMysql>;
};

/**
 * `spin:mysql/mysql@3.0.0` (Spin 4): 2.0's MySQL with its types in the interface and every call
 * async, the query's rows a stream; the same checks and pools, each statement awaited.
 */
export const spinMysqlAsync = (allowed: readonly AllowedHost[], log: (line: string) => void) => {
  const { Connection: Served } = rdbms<SpinMysql.RowSet, void>(FLAVOURS.mysql, allowed, log);
  type ServedConnection = Awaited<ReturnType<typeof Served.openAsync>>;
  class Connection {
    private constructor(private readonly served: ServedConnection) {}

    static async open(address: string): Promise<Connection> {
      return new Connection(await Served.openAsync(address));
    }

    query(statement: string, params: ParameterValue[]) {
      return this.served.queryAsync(statement, params);
    }

    execute(statement: string, params: ParameterValue[]): Promise<void> {
      return this.served.executeAsync(statement, params);
    }
  }
  return { Connection } satisfies HostImplementation<typeof SpinMysql3>;
};
