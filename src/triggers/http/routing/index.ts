export { RouteTable } from "./route-table.js";
export type { DuplicateRoute, RouteEntry } from "./duplicate-routes.js";
