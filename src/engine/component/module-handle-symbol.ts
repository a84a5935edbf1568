/** How jco's glue makes the key under which it keeps a resource object's handle: a new symbol per instantiation. */
const DECLARATION = "\n  const symbolRscHandle = Symbol('handle');\n";
/**
 * Every use of that key in the glue of the jco Wisp pins, reading it or writing a handle on an
 * object made in the same call (`Object.create`), or clearing it after a call that borrowed.
 */
const KNOWN_USES = [
  /Object\.defineProperty\(rsc\d+, symbolRscHandle, \{ writable: true, value: handle\d+\}\);/g,
  /\brsc\[symbolRscHandle\] = undefined;/g,
  /\bvar handle\d+ = [\w$]+\[symbolRscHandle\];/g,
];

/**
 * jco's glue with its handle key made once per module instead of once per instantiation: one
 * symbol per thread that loads the glue.
 *
 * Why: after each call that borrows a resource, the glue clears the key on the host's object
 * (`rsc[symbolRscHandle] = undefined`). With a new symbol per instantiation, every request gave
 * the host's streams and fields objects a property they never had, so a new hidden class, made in
 * V8's old generation, and a longer transition list on the class they started from (its cost to
 * a small component's throughput is in BENCHMARKS.md).
 *
 * Exact, because the only handle the glue ever writes under the key goes on an object it made for
 * that call, and is cleared when the call returns: an object that outlives an instantiation holds
 * `undefined` there, as it would under a fresh key. Glue with any other use of the key is left as
 * jco wrote it.
 */
export function withModuleHandleSymbol(glue: string): string {
  const at = glue.indexOf(DECLARATION);
  if (at < 0) return glue;
  let rest = glue.slice(0, at) + glue.slice(at + DECLARATION.length);
  for (const use of KNOWN_USES) rest = rest.replace(use, "");
  if (rest.includes("symbolRscHandle")) return glue;
  return `const symbolRscHandle = Symbol('handle');\n${glue.slice(0, at)}\n${glue.slice(at + DECLARATION.length)}`;
}
