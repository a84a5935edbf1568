// A guest program without wasm, for testing the worker pool: the payload says what to do.
export async function load(spec) {
  return {
    run(payload, io) {
      switch (payload.mode) {
        case "echo": {
          io.response.head(200, [
            ["content-type", "application/octet-stream"],
            ["x-guest", spec.name],
          ]);
          for (let chunk; (chunk = io.body.read(65536)) !== null;) io.response.body.write(chunk);
          return;
        }
        case "count": {
          let total = 0;
          for (let chunk; (chunk = io.body.read(65536)) !== null;) total += chunk.length;
          io.response.head(200, [["content-type", "text/plain"]]);
          io.response.body.write(new TextEncoder().encode(String(total)));
          return;
        }
        case "big": {
          io.response.head(200, [["content-type", "application/octet-stream"]]);
          const chunk = new Uint8Array(1 << 16).fill(120);
          for (let i = 0; i < payload.chunks; i++) io.response.body.write(chunk);
          return;
        }
        case "loop":
          for (;;) {}
        case "throw":
          throw new Error("guest bug");
        case "log":
          io.stdout.write(new TextEncoder().encode("to stdout\n"));
          io.stderr.write(new TextEncoder().encode("to stderr\n"));
          io.response.head(204, []);
          return;
      }
    },
  };
}
