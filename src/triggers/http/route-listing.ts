/**
 * The "Available Routes" lines `wisp up` prints, in Spin's form: each route as a full URL with its
 * component, a trailing `/...` shown as "(wildcard)".
 */
export function routeListing(baseUrl: string, routes: ReadonlyArray<{ route: string; name: string }>): string {
  const lines = routes.map(({ route, name }) => {
    const wildcard = route === "/..." || route.endsWith("/...");
    const path = wildcard ? route.slice(0, -"/...".length) : route;
    return `  ${name}: ${baseUrl}${path}${wildcard ? " (wildcard)" : ""}`;
  });
  return ["Available Routes:", ...lines].join("\n");
}
