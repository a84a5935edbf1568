import {
  spawn,
  type ChildProcess,
  type ChildProcessByStdio,
  type ChildProcessWithoutNullStreams,
  type SpawnOptions,
  type SpawnOptionsWithoutStdio,
  type SpawnOptionsWithStdioTuple,
  type StdioNull,
  type StdioPipe,
} from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/*
 * The one place every process a test starts is registered, so that none outlives its test file.
 * A child runs as the leader of its own process group, so killing the group also ends what it
 * started itself (a transpile process, a guest build). Three sweeps kill what is left:
 *   - after each test file (test/support/kill-children.ts, a setupFile), even when a test failed or timed out;
 *   - when the test worker exits or is told to stop (the same file);
 *   - after the whole run, from vitest's own process (test/support/global-setup.ts), for a worker that died
 *     without running either: each group is also written as a file into a folder that process reads.
 */

interface Registry {
  /** Process groups started by this worker and not yet swept. */
  readonly groups: Set<number>;
  /** The folder shared with vitest's own process, if the run has one. */
  folder: string | undefined;
}

// On globalThis, not in this module: vitest evaluates modules afresh for each test file, while the
// worker process (and so its children and its signal handlers) stays.
const key = Symbol.for("wisp.test.child-processes");
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[key] ??= {
  groups: new Set(),
  folder: undefined,
});

/** Sets the folder each started group is also recorded in (see test/support/global-setup.ts). */
export function recordGroupsIn(folder: string | undefined): void {
  registry.folder = folder;
}

type Stdio = StdioNull | StdioPipe;
type StreamOf<T extends Stdio, Stream> = T extends StdioPipe ? Stream : null;

/** `child_process.spawn`, but the child leads its own process group and is registered for the sweeps. */
export function spawnTracked(
  command: string,
  args: readonly string[],
  options?: SpawnOptionsWithoutStdio,
): ChildProcessWithoutNullStreams;
export function spawnTracked<I extends Stdio, O extends Stdio, E extends Stdio>(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithStdioTuple<I, O, E>,
): ChildProcessByStdio<StreamOf<I, Writable>, StreamOf<O, Readable>, StreamOf<E, Readable>>;
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions): ChildProcess;
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  // Without a pid the spawn failed (the child reports an "error" event); there is nothing to kill.
  if (pid !== undefined) {
    registry.groups.add(pid);
    if (registry.folder) writeFileSync(join(registry.folder, String(pid)), "");
  }
  return child;
}

/** Kills every registered process group (SIGKILL; synchronous, so it can run while the process exits). */
export function killTrackedChildren(): void {
  for (const group of registry.groups) {
    killGroup(group);
    registry.groups.delete(group);
    if (registry.folder) rmSync(join(registry.folder, String(group)), { force: true });
  }
}

/** Kills the groups recorded in `folder` by any worker, and empties it. */
export function killRecordedGroups(folder: string): number[] {
  const groups = readdirSync(folder).map(Number).filter(Number.isInteger);
  for (const group of groups) killGroup(group);
  rmSync(folder, { recursive: true, force: true });
  return groups;
}

function killGroup(group: number): void {
  try {
    process.kill(-group, "SIGKILL");
  } catch (error) {
    // ESRCH: every process in the group has already exited.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
