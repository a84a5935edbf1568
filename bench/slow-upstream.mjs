// An upstream for the outbound-bound case: answers each request with its own body after
// --delay ms (default 200). Prints its address as "Serving http://..." as the other servers do.
import { createServer } from "node:http";

const at = process.argv.indexOf("--delay");
const delay = at >= 0 ? Number(process.argv[at + 1]) : 200;
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => setTimeout(() => res.end(Buffer.concat(chunks)), delay));
});
server.listen(0, "127.0.0.1", () => console.log(`Serving http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
