// workerd's WebAssembly hello: a fresh instance of hello.wat per request, as Wisp gives each
// request; the answer is what the instance leaves in its memory.
import hello from "./hello.wasm";

export default {
  fetch() {
    const { exports } = new WebAssembly.Instance(hello, {});
    const body = new Uint8Array(exports.memory.buffer, 0, exports.hello()).slice();
    return new Response(body, { headers: { "content-type": "text/plain" } });
  },
};
