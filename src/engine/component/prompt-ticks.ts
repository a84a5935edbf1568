/**
 * jco-transpile's async glue (see GlueKind) drives a component's tasks from a tick loop that
 * starts 10 ms after it is needed and, whenever no task could resume, polls again 10 ms later:
 * every request to a wasi:http 0.3 component waited through at least one such pause, which made
 * a trivial handler take ~16 ms (BENCHMARKS.md). This starts the loop at once and backs the idle
 * poll off from 1 ms to the glue's own 10 ms, so a task that becomes ready soon resumes soon
 * while a task that waits long (a timer, an upstream) costs no more polls than before. A glue
 * without that loop (another jco) is left as it is: slower, not wrong.
 */
const LOOP_START = /setTimeout\(async \(\) => \{(\s*)let result = this\.tick\(\);/;
const LOOP_END = /this\.#tickLoop = null;(\s*)\}, 10\);/;
const IDLE_DELAY =
  /const delay = result === ComponentAsyncState\.TickResult\.RESUMED \? 0 : 10;(\s*)await new Promise\(\(resolve\) => setTimeout\(resolve, delay\)\);/;

export function withPromptTicks(glue: string): string {
  if (!LOOP_START.test(glue) || !LOOP_END.test(glue) || !IDLE_DELAY.test(glue)) return glue;
  return glue
    .replace(
      LOOP_START,
      (_found, indent: string) => `let idle = 0;${indent}setImmediate(async () => {${indent}let result = this.tick();`,
    )
    .replace(LOOP_END, (_found, indent: string) => `this.#tickLoop = null;${indent}});`)
    .replace(
      IDLE_DELAY,
      (_found, indent: string) =>
        `idle = result === ComponentAsyncState.TickResult.RESUMED ? 0 : Math.min(10, idle * 2 || 1);` +
        `${indent}await new Promise((resolve) => (idle === 0 ? setImmediate(resolve) : setTimeout(resolve, idle)));`,
    );
}
