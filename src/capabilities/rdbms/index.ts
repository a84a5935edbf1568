export { closeMysqlPools, mysqlExecute, mysqlQuery } from "./mysql-pools.js";
export { closePostgresPools, postgresExecute, postgresQuery, type SqlCallArgs } from "./postgres-pools.js";
export { spinMysql, spinPostgres, spinPostgres3 } from "./spin-rdbms.js";
