/** How jco's instantiation glue opens its body: a generator, so that one template serves async core loading too. */
const GENERATOR_INIT = "let gen = (function* init () {";
/** jco's driver after it: runs the generator to its end, through promises if it yields any. */
const DRIVER =
  /\n[ \t]*let promise, resolve, reject;\n[ \t]*function runNext \(value\) \{[\s\S]*?gen\.next\(value\)[\s\S]*?\n[ \t]*const maybeSyncReturn = runNext\(null\);\n[ \t]*return promise \|\| maybeSyncReturn;\n\}\s*$/;
/** The driver is a few hundred characters; a longer match would be more than the driver. */
const MAX_DRIVER_LENGTH = 1_000;
/**
 * Bigger glue keeps its generator: as a plain function V8 finds `init` hot, and TurboFan's compile
 * of a componentize-js component's glue ran for seconds and held a lot of compiler memory per
 * worker thread (BENCHMARKS.md).
 */
export const MAX_PLAIN_GLUE_CHARS = 96 << 10;
/**
 * The name bigger glue's generator gets: the one TurboFan is told to leave alone (see
 * turbofan-filter.ts). It runs once per instantiation, so it gets hot, and TurboFan then spent
 * seconds of a core compiling it on each worker, at the start of every load, for no gain in
 * requests per second.
 */
export const BIG_GLUE_INIT = "wispBigGlueInit";

/**
 * jco's glue with its `init` generator run without jco's driver, when that changes nothing: in
 * sync instantiation the generator never yields, so the driver just runs it to its end and
 * returns what it returns (or throws what it throws). Glue up to MAX_PLAIN_GLUE_CHARS gets a plain
 * function instead of the generator. Bigger glue keeps a generator, named BIG_GLUE_INIT and made
 * once, at module level (see moduleLevelGenerator), or else called once, directly.
 *
 * Why: with jco's driver, whose `runNext` closure holds the generator, most of what each
 * instantiation allocated (its closures, handle tables and what the request put in them) survived
 * V8's young-generation GCs and was promoted, so the old generation filled and was collected
 * often under load; called directly, little is promoted (the figures are in BENCHMARKS.md).
 *
 * Anything unexpected (a `yield` anywhere, another driver) leaves the glue as jco wrote it:
 * slower, never wrong.
 */
export function withPlainInit(glue: string): string {
  const start = glue.indexOf(GENERATOR_INIT);
  if (start < 0 || glue.indexOf(GENERATOR_INIT, start + 1) >= 0 || /\byield\b/.test(glue)) return glue;
  const driver = DRIVER.exec(glue);
  if (!driver || driver[0].length > MAX_DRIVER_LENGTH || driver.index < start) return glue;
  if (glue.length > MAX_PLAIN_GLUE_CHARS) {
    return (
      moduleLevelGenerator(glue, start, driver.index) ??
      `${glue.slice(0, start)}let gen = (function* ${BIG_GLUE_INIT} () {${glue.slice(start + GENERATOR_INIT.length, driver.index)}\n  return gen.next().value;\n}\n`
    );
  }
  return `${glue.slice(0, start)}let gen = (function init () {${glue.slice(start + GENERATOR_INIT.length, driver.index)}\n  return gen;\n}\n`;
}

const INSTANTIATE = "export function instantiate(";
const PARAMETERS = /^getCoreModule, imports, instantiateCore\b/;

/**
 * Big glue as one generator at module level, BIG_GLUE_INIT, holding the whole of `instantiate`:
 * its prelude (helpers, handle tables) and then, in a block of its own so that its names shadow
 * the prelude's as before, init's body. `instantiate` runs it to its end.
 *
 * Why: V8 gives each generator function the map of the objects it makes, in the old generation,
 * and that map holds the function. jco's `init` is a new closure per instantiation, so every
 * instantiation's closure, and through its scope everything the instantiation made, stayed
 * reachable from the old generation until the next full GC. Made once, the generator's map holds
 * only itself, and the old generation grows less than half as fast (BENCHMARKS.md).
 *
 * Undefined (the caller keeps the closure) unless `instantiate` takes jco's three parameters and
 * nothing in the glue says `arguments` or `gen`, whose meaning the move would change. (`this` at
 * `instantiate`'s own level would change too; jco's glue has none there.)
 */
function moduleLevelGenerator(glue: string, start: number, driverAt: number): string | undefined {
  const header = glue.indexOf(INSTANTIATE);
  const open = glue.indexOf(") {\n", header);
  if (header < 0 || open < 0 || open > start) return undefined;
  const parameters = glue.slice(header + INSTANTIATE.length, open);
  if (!PARAMETERS.test(parameters)) return undefined;
  const prelude = glue.slice(open + 4, start);
  const inner = glue.slice(start + GENERATOR_INIT.length, driverAt);
  const end = inner.lastIndexOf("})();");
  if (end < 0 || inner.slice(end + 5).trim() !== "") return undefined;
  const body = inner.slice(0, end);
  if (/\b(arguments|gen)\b/.test(prelude + body)) return undefined;
  return (
    `${glue.slice(0, header)}function* ${BIG_GLUE_INIT} (getCoreModule, imports, instantiateCore) {\n${prelude}\n  {${body}}\n}\n` +
    `${INSTANTIATE}${parameters}) {\n  return ${BIG_GLUE_INIT}(getCoreModule, imports, instantiateCore).next().value;\n}\n`
  );
}
