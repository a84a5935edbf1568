export { closeMysqlPools, mysqlExecute, mysqlQuery } from "./mysql-pools.js";
export { closePostgresPools, postgresExecute, postgresQuery, type SqlCallArgs } from "./postgres-pools.js";
export { spinMysql, spinPostgres } from "./spin-rdbms.js";
