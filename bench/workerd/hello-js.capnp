# workerd serving bench/workerd/hello-js.mjs. The bench overrides the socket's address
# (--socket-addr http=127.0.0.1:0) and reads the port from --control-fd.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:8080", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "hello-js.mjs")],
  compatibilityDate = "2026-11-01",
);
