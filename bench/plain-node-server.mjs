// The ceiling: a plain Node `http` hello world, in its own process like the servers it is compared with.
import { createServer } from "node:http";

const server = createServer((_, res) => res.writeHead(200, { "content-type": "text/plain" }).end("hello from C\n"));
server.listen(0, "127.0.0.1", () => process.stdout.write(`Serving http://127.0.0.1:${server.address().port}\n`));
process.on("SIGINT", () => server.close(() => process.exit(0)));
