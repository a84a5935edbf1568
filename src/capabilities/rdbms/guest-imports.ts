import type { GuestImportsBuilder } from "../capability.js";
import { spinMysql, spinMysqlAsync, spinPostgres, spinPostgres3, spinPostgres4 } from "./spin-rdbms.js";

/** Worker: Spin's PostgreSQL (three versions) and MySQL (2.0, and Spin 4's 3.0), to the servers `allowed_outbound_hosts` allows. */
export const rdbmsImports: GuestImportsBuilder<undefined> = (_grant, instance) => {
  const allowed = instance.allowedOutboundHosts;
  const log = (line: string) => instance.request.log(line);
  const { suspends } = instance;
  return {
    "fermyon:spin/postgres": spinPostgres(allowed, log, suspends),
    "spin:postgres/postgres@3.0.0": spinPostgres3(allowed, log, suspends),
    "spin:postgres/postgres@4.0.0": spinPostgres4(allowed, log, suspends),
    "fermyon:spin/mysql": spinMysql(allowed, log, suspends),
    "spin:mysql/mysql": spinMysqlAsync(allowed, log),
    // Types only; present in case a glue asks for the interface by name.
    "fermyon:spin/rdbms-types": {},
  };
};
