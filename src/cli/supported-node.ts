/**
 * Stops the CLI, before anything else loads, on a Node.js that Wisp does not support, saying
 * which it needs and how to get it: past this point an old Node fails on a missing built-in
 * (node:sqlite) or a missing WebAssembly feature, with a message that names neither.
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 24 || (major === 24 && minor < 10)) {
  process.stderr.write(
    `wisp: Node.js ${process.versions.node} is not supported: Wisp needs Node.js 24.10 or newer (24 or 26 LTS).\n` +
      "  In a checkout of Wisp, `npm ci` brings Node 24 into node_modules/.bin and npm scripts and `npx wisp` use it;\n" +
      "  otherwise install Node 24 or 26 (https://nodejs.org, or `npm install -g node@24` on Linux).\n",
  );
  process.exit(1);
}
export {};
