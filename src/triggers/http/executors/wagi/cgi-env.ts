import type { RoutedRequest } from "../../request-info.js";

/** Headers the CGI spec (RFC 3875 §4.1.18) says must not be passed as HTTP_* variables. */
const HIDDEN_HEADERS = new Set(["authorization", "connection"]);

/**
 * Never made from a request header: a client's `Proxy:` header would become HTTP_PROXY, which
 * HTTP libraries take as the proxy for the module's own outbound requests ("httpoxy",
 * CVE-2016-5385 and kin). Apache and nginx drop the header; so does Wisp. Checked on the variable
 * name, so no spelling of the header can make it. The manifest's `environment` may still set it.
 */
const FORBIDDEN_VARIABLES = new Set(["HTTP_PROXY"]);

/**
 * The CGI environment a WAGI module sees, as Spin builds it: the CGI/1.1 variables, Spin's X_*
 * routing variables, and one HTTP_<NAME> per request header. The component's own `environment`
 * from the manifest comes first and the request's variables win over it.
 */
export function cgiEnvironment(
  request: RoutedRequest,
  componentEnv: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const env = new Map<string, string>(componentEnv.map(([k, v]) => [k, v]));
  const header = (name: string) => request.headers.find(([k]) => k === name)?.[1] ?? "";
  const [serverName, serverPort] = splitAuthority(request.authority, request.scheme);
  const clientIp = request.clientAddr.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  const set = (name: string, value: string) => env.set(name, value);
  set("AUTH_TYPE", "");
  set("CONTENT_LENGTH", header("content-length") || "0");
  set("CONTENT_TYPE", header("content-type"));
  set("GATEWAY_INTERFACE", "CGI/1.1");
  // Spin decodes PATH_INFO (and PATH_TRANSLATED) and keeps the raw form in X_RAW_PATH_INFO.
  const decodedPathInfo = decodeLossy(request.route.pathInfo);
  set("PATH_INFO", decodedPathInfo);
  set("PATH_TRANSLATED", decodedPathInfo);
  set("QUERY_STRING", request.query);
  set("REMOTE_ADDR", clientIp);
  set("REMOTE_HOST", clientIp);
  set("REMOTE_USER", "");
  set("REQUEST_METHOD", request.method);
  set("SCRIPT_NAME", scriptName(request));
  set("SERVER_NAME", serverName);
  set("SERVER_PORT", serverPort);
  set("SERVER_PROTOCOL", "HTTP/1.1");
  set("SERVER_SOFTWARE", "WAGI/1");
  set("X_FULL_URL", `${request.scheme}://${request.authority}${request.pathWithQuery}`);
  set("X_MATCHED_ROUTE", request.route.matched);
  set("X_RAW_PATH_INFO", request.route.pathInfo);
  set("X_BASE_PATH", "/");
  set("X_RAW_COMPONENT_ROUTE", request.route.raw);
  set("X_COMPONENT_ROUTE", request.route.componentRoute);
  set("X_CLIENT_ADDR", request.clientAddr);
  for (const [name, value] of Object.entries(request.route.params)) set(`X_PATH_MATCH_${name.toUpperCase()}`, value);
  const seen = new Set<string>();
  for (const [name, value] of request.headers) {
    if (HIDDEN_HEADERS.has(name)) continue;
    const key = headerVariable(name);
    if (FORBIDDEN_VARIABLES.has(key)) continue;
    // A repeated header becomes one comma-separated variable, as CGI servers do.
    env.set(key, seen.has(key) ? `${env.get(key)},${value}` : value);
    seen.add(key);
  }
  return [...env];
}

/** `HTTP_<NAME>` for each header name seen, remembered: the same few names come with every request. */
const HEADER_VARIABLES = new Map<string, string>();
const MAX_REMEMBERED = 1024;

function headerVariable(name: string): string {
  let key = HEADER_VARIABLES.get(name);
  if (key === undefined) {
    key = "HTTP_" + name.toUpperCase().replaceAll("-", "_");
    if (HEADER_VARIABLES.size < MAX_REMEMBERED) HEADER_VARIABLES.set(name, key);
  }
  return key;
}

/**
 * The module's argv, from the executor's `argv` template (Spin's default `${SCRIPT_NAME} ${ARGS}`):
 * `${SCRIPT_NAME}` is the matched route without `/...`, `${ARGS}` the query's `&`-separated parts, decoded.
 */
export function cgiArgv(template: string, request: RoutedRequest): string[] {
  const args = request.query === "" ? [] : request.query.split("&").map(decodeQueryPart);
  const out: string[] = [];
  for (const word of template.split(/\s+/).filter(Boolean)) {
    if (word === "${ARGS}") out.push(...args);
    else out.push(word.replaceAll("${SCRIPT_NAME}", scriptName(request)));
  }
  return out;
}

/** Spin's SCRIPT_NAME: the matched route (normalised, with the base) without its `/...`. */
function scriptName(request: RoutedRequest): string {
  const matched = request.route.matched;
  return matched.endsWith("/...") ? matched.slice(0, -4) : matched;
}

/** Percent-decoding that keeps what is not valid UTF-8 as U+FFFD instead of failing. */
function decodeLossy(text: string): string {
  if (!text.includes("%")) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === "%" ? text.slice(i + 1, i + 3) : "";
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll("+", " "));
  } catch {
    return part;
  }
}

function splitAuthority(authority: string, scheme: string): [string, string] {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority);
  const host = match?.[1] ?? authority;
  return [host, match?.[2] ?? (scheme === "https" ? "443" : "80")];
}
