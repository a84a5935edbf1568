import { realpathSync } from "node:fs";
import type { InputStream, OutputStream } from "../io/streams.js";
import { CStrings, type Lazy } from "./c-strings.js";
import { DescriptorTable } from "./descriptors.js";
import { Errno, WasiErrno } from "./errno.js";
import type { GuestMemory } from "./guest-memory.js";
import { GuestTimes } from "./guest-times.js";

/** A host directory granted to the guest at `guestPath`. */
export interface Preopen {
  guestPath: string;
  hostPath: string;
  writable: boolean;
}

/**
 * Everything a WASI preview1 guest may see: nothing else on the host is reachable. `args` and
 * `env` may be given as functions, called only if the guest reads them (a WAGI module's CGI
 * environment is ~25 variables built per request; many modules never read it).
 */
export interface WasiOptions {
  args: Lazy<readonly string[]>;
  env: Lazy<ReadonlyArray<readonly [string, string]>>;
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  preopens: readonly Preopen[];
  /** The export to call (`_start` for a command). */
  entrypoint?: string;
  /**
   * Told, before a call moves `bytes` bytes (reads, writes, random), so that a run on the server's
   * own thread pays for host work by its size as for instructions (see engine/inline); throws to
   * stop the run. Absent on a worker, where a run is stopped from outside.
   */
  meter?: (bytes: number) => void;
}

/** Per-instance state shared by the preview1 calls. */
export class WasiContext {
  readonly fds = new DescriptorTable();
  readonly times = new GuestTimes();
  readonly args: CStrings;
  readonly env: CStrings;
  private guestMemory: GuestMemory | undefined;

  constructor(readonly options: WasiOptions) {
    const { args, env } = options;
    this.args = new CStrings(args);
    this.env = new CStrings(() => (typeof env === "function" ? env() : env).map(([key, value]) => `${key}=${value}`));
    this.fds.add({ kind: "stream", input: options.stdin });
    this.fds.add({ kind: "stream", output: options.stdout });
    this.fds.add({ kind: "stream", output: options.stderr });
    for (const preopen of options.preopens) {
      this.fds.add({
        kind: "dir",
        location: { root: realpathSync(preopen.hostPath), segments: [] },
        writable: preopen.writable,
        preopenName: preopen.guestPath,
      });
    }
  }

  /** See WasiOptions.meter. */
  charge(bytes: number): void {
    this.options.meter?.(bytes);
  }

  bind(memory: GuestMemory): void {
    this.guestMemory = memory;
  }

  get memory(): GuestMemory {
    if (!this.guestMemory) throw new WasiErrno(Errno.FAULT);
    return this.guestMemory;
  }
}

export const ENCODER = new TextEncoder();

/**
 * What the preview1 calls may use of an instance's context. Preview1Host hands them a view that
 * forwards each member to the running instance's context; naming the members here makes that
 * view fail to compile when a call starts using one it does not forward.
 */
export type WasiCallContext = Pick<WasiContext, "fds" | "memory" | "args" | "env" | "options" | "times" | "charge">;
