// A guest program without wasm that stands in for a component calling its own app: with
// `{ depth: N }` it makes the host call "test.child" (the test's handler runs a job of depth N-1
// on the same pool and answers with its body) and answers with what came back; at depth 0 it
// answers "bottom". `{ hold: true }` makes the call "test.hold", which the test answers when it likes.
const { hostCallsOf } = await import(new URL("../../../dist/engine/worker/host-call.js", import.meta.url).href);
const callHost = hostCallsOf();

export async function load() {
  return {
    run(payload, io) {
      let text = "bottom";
      if (payload.hold) text = callHost("test.hold", {});
      else if (payload.depth > 0) text = `${payload.depth} > ${callHost("test.child", { depth: payload.depth - 1 })}`;
      io.response.head(200, [["content-type", "text/plain"]]);
      io.response.body.write(new TextEncoder().encode(text));
    },
  };
}
