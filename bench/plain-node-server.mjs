// The ceiling: a plain Node `http` server, in its own process like the servers it is compared
// with. It answers a hello, or with --echo pipes the request body back.
import { createServer } from "node:http";

const echo = process.argv.includes("--echo");
const server = createServer((req, res) => {
  if (echo) {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    return void req.pipe(res);
  }
  res.writeHead(200, { "content-type": "text/plain" }).end("hello from C\n");
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`Serving http://127.0.0.1:${server.address().port}\n`));
process.on("SIGINT", () => server.close(() => process.exit(0)));
