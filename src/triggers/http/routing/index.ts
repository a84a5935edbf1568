export { RouteTable } from "./route-table.js";
export { parseRoute, type RoutePattern } from "./route-pattern.js";
