import type { Preopen } from "../wasi-p1/wasi-context.js";
import { Descriptor } from "./descriptor.js";
import { OpenFiles } from "../wasi-p2/open-files.js";

/**
 * wasi:filesystem 0.3 for one run: the directories granted to it, each at its guest path, with the
 * same sandbox as 0.2's and preview1's (see descriptor.ts). A served component gets its `files`
 * at `/`, read-only; `wisp run --dir` grants read-write, as wasmtime's does. Data moves as
 * streams, read and written as the guest goes, off the run's thread. The files a run opens are
 * closed when its guest drops them, and at the latest when the run ends (`close`).
 */
export class P3Filesystem {
  private readonly files = new OpenFiles();

  constructor(private readonly directories: readonly Preopen[]) {}

  imports() {
    return {
      "wasi:filesystem/types": { Descriptor },
      "wasi:filesystem/preopens": {
        getDirectories: (): Array<[Descriptor, string]> =>
          this.directories.map(({ hostPath, guestPath, writable }) => [
            Descriptor.preopen(hostPath, writable, this.files),
            guestPath,
          ]),
      },
    };
  }

  close(): void {
    this.files.closeAll();
  }
}
