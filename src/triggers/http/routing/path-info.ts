/**
 * Spin's `spin-path-info` (`RouteMatch::trailing_wildcard`): what the wildcard took, with the
 * slashes routefinder trimmed put back, since Spin has always passed them on. For `/foo/...`:
 * `/foo` → ``, `/foo/` → `/`, `/foo/bar` → `/bar`, `/foo/bar/` → `/bar/`. A route without a
 * wildcard has none: ``.
 */
export function pathInfo(wildcard: string | undefined, path: string): string {
  if (wildcard === undefined) return "";
  const trailingSlash = path.endsWith("/");
  if (wildcard === "") return trailingSlash ? "/" : "";
  return trailingSlash ? `/${wildcard}/` : `/${wildcard}`;
}
