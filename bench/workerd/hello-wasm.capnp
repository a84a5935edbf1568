# workerd serving bench/workerd/hello-wasm.mjs with hello.wat, which the bench compiles to
# bench/.tools/hello.wasm before it starts workerd. Socket as in hello-js.capnp.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8080", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker", esModule = embed "hello-wasm.mjs"),
    (name = "./hello.wasm", wasm = embed "../.tools/hello.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
