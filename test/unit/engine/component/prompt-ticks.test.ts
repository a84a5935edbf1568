import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withPromptTicks } from "../../../../src/engine/component/prompt-ticks.js";

/** The tick loop of jco-transpile 0.15's async glue, as it writes it. */
const TICK_LOOP = `
    class ComponentAsyncState {
      static TickResult = { DONE: "done", IDLE: "idle", RESUMED: "resumed" };
      #tickLoop = null;
      constructor(results) { this.results = results; }
      tick() { return this.results.shift() ?? ComponentAsyncState.TickResult.DONE; }
      async runTickLoop() {
        if (this.#tickLoop !== null) { return; }
        this.#tickLoop = 1;
        setTimeout(async () => {
          let result = this.tick();
          while (result !== ComponentAsyncState.TickResult.DONE) {
            if (result === ComponentAsyncState.TickResult.IDLE) {
              _checkForDeadlock();
            }
            const delay = result === ComponentAsyncState.TickResult.RESUMED ? 0 : 10;
            await new Promise((resolve) => setTimeout(resolve, delay));
            result = this.tick();
          }
          this.#tickLoop = null;
        }, 10);
      }
    }
    ComponentAsyncState;
`;

/**
 * Runs the loop over ticks answering `results`, and gives the waits it asked for, in order: a
 * number for setTimeout's delay, "now" for setImmediate. Timers run at once (no clock).
 */
async function waitsOf(glue: string, results: string[]): Promise<Array<number | "now">> {
  const waits: Array<number | "now"> = [];
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const State = runInNewContext(glue, {
    setTimeout: (fn: () => void, delay: number) => {
      waits.push(delay);
      queueMicrotask(fn);
    },
    setImmediate: (fn: () => void) => {
      waits.push("now");
      queueMicrotask(fn);
    },
    _checkForDeadlock: () => {},
    Promise,
  }) as new (results: string[]) => { runTickLoop(): Promise<void>; tick(): string };
  const state = new State([...results]);
  const tick = state.tick.bind(state);
  state.tick = () => {
    const result = tick();
    if (result === "done") finished();
    return result;
  };
  await state.runTickLoop();
  await done;
  return waits;
}

describe("the async glue's tick loop", () => {
  it("as jco writes it, starts 10 ms late and polls every 10 ms while idle", async () => {
    expect(await waitsOf(TICK_LOOP, ["idle", "idle", "resumed", "idle"])).toEqual([10, 10, 10, 0, 10]);
  });

  it("rewritten, starts at once, backs its idle polls off from 1 ms to 10 ms, and resumes at once", async () => {
    const rewritten = withPromptTicks(TICK_LOOP);
    expect(rewritten).not.toBe(TICK_LOOP);
    expect(await waitsOf(rewritten, ["idle", "idle", "idle", "idle", "idle", "idle", "resumed", "idle"])).toEqual([
      "now",
      1,
      2,
      4,
      8,
      10,
      10,
      "now",
      1,
    ]);
  });

  it("leaves a glue without that loop as it is", () => {
    const other = TICK_LOOP.replace("}, 10);", "}, 20);");
    expect(withPromptTicks(other)).toBe(other);
  });
});
