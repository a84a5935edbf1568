// A guest program without wasm whose runs overlap (a concurrent guest, as a wasi:http 0.3 or a
// suspending 0.2 component): `{ ms }` waits that long holding no thread; `{ child: true }` awaits
// the host call "test.child" (the test's handler runs another job on the same pool, as a self
// request does). Each answers with its `label`.
const { asyncHostCallsOf } = await import(new URL("../../../dist/engine/worker/host-call.js", import.meta.url).href);
const callHost = asyncHostCallsOf();

export async function load() {
  return {
    async run(payload, io) {
      if (payload.ms) await new Promise((resolve) => setTimeout(resolve, payload.ms));
      if (payload.child) await callHost("test.child", {});
      io.response.head(200, [["content-type", "text/plain"]]);
      io.response.body.write(new TextEncoder().encode(payload.label));
    },
  };
}
