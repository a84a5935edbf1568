// Wisp's example handler: a fetch-event handler built into a wasi:http component.
// Every request runs in a fresh instance, so `served` is 1 on every request: no state leaks
// from one request to the next.
let served = 0;

addEventListener("fetch", (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  served++;
  const url = new URL(request.url);
  if (url.pathname === "/echo" && request.method === "POST") {
    const type = request.headers.get("content-type") ?? "application/octet-stream";
    return new Response(request.body, { headers: { "content-type": type } });
  }
  const route = request.headers.get("spin-matched-route");
  return new Response(
    `Hello from Wisp! You asked for ${url.pathname} (route ${route}).\n` +
      `Requests this instance has served: ${served}\n`,
    { headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}
