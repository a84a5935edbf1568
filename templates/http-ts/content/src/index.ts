// An HTTP handler for Wisp. Every request runs in its own fresh WebAssembly sandbox, so module
// state never carries over from one request to the next.
//
// What a handler can use: Request, Response, Headers, URL, URLSearchParams, fetch-style bodies
// (streams included), TextEncoder/TextDecoder and crypto.getRandomValues. Spin's headers tell it
// how it was routed: spin-matched-route, spin-path-info, spin-full-url...
//
// Capabilities come from Wisp's SDK once the manifest grants them, for example:
//   import { kv } from "@wisp/sdk/kv";              // key_value_stores = ["default"]
//   const visits = Number(kv.open().getText("visits") ?? 0) + 1;
//   kv.open().set("visits", String(visits));
// See also @wisp/sdk/variables, @wisp/sdk/sqlite, and fetch with allowed_outbound_hosts.

addEventListener("fetch", (event) => event.respondWith(handle(event.request)));

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method === "POST" && url.pathname.endsWith("/echo")) {
    const type = request.headers.get("content-type") ?? "application/octet-stream";
    return new Response(request.body, { headers: { "content-type": type } });
  }
  const [lucky] = crypto.getRandomValues(new Uint32Array(1));
  return Response.json({
    message: "Hello from {{name}}!",
    path: url.pathname,
    route: request.headers.get("spin-matched-route"),
    lucky,
  });
}
