import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureWasm } from "../support/dist.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Saves `file` as many editors do: the new content goes to a temporary file renamed over it. */
function saveByRename(file: string, content: string | Buffer): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

const MANIFEST = `spin_manifest_version = 2

[application]
name = "renamed"

[[trigger.http]]
route = "/hello"
component = "hello"
executor = { type = "wagi" }

[component.hello]
source = "hello.wasm"
[component.hello.build]
command = "cp hello-source.wasm hello.wasm"
watch = ["hello-source.wasm"]
`;

/** Editors (vim, many IDEs) save by writing a new file and renaming it over the old one: a new inode each time. */
describe("wisp watch, files saved by rename", () => {
  it("sees every save of the manifest and of a watched source, not only the first", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wisp-watch-rename-"));
    const hello = readFileSync(fixtureWasm("wagi-hello"));
    writeFileSync(join(dir, "spin.toml"), MANIFEST);
    copyFileSync(fixtureWasm("wagi-hello"), join(dir, "hello-source.wasm"));
    const wisp = await WispProcess.serve("watch", [], { cwd: dir, timeoutMs: 60_000 });
    try {
      await waitFor(() => wisp.stdout.includes("Watching for changes"), 10_000);
      expect((await fetch(`${wisp.url}/hello`)).status).toBe(200);

      for (const round of [1, 2, 3]) {
        saveByRename(
          join(dir, "spin.toml"),
          `${MANIFEST}\n[[trigger.http]]\nroute = "/round-${round}"\nstatic_response = { status_code = 204 }\n`,
        );
        await waitFor(() => count(wisp.stdout, "Reloaded") === round, 30_000);
        expect((await fetch(`${wisp.url}/round-${round}`)).status).toBe(204);
      }

      const builds = count(wisp.stdout, "Building component hello");
      for (const round of [1, 2, 3]) {
        // Each save differs (a custom section "r" holding the round): the build skips what has not changed.
        saveByRename(join(dir, "hello-source.wasm"), Buffer.concat([hello, Buffer.from([0, 3, 1, 0x72, round])]));
        await waitFor(() => count(wisp.stdout, "Building component hello") === builds + round, 30_000);
        await waitFor(() => count(wisp.stdout, "Reloaded") === 3 + round, 30_000);
      }
      expect((await fetch(`${wisp.url}/hello`)).status).toBe(200);
    } catch (error) {
      throw new Error(`${(error as Error).message}; wisp's output:\n${wisp.stdout}\n${wisp.stderr}`, { cause: error });
    } finally {
      expect(await wisp.stop()).toBe(0);
    }
  }, 120_000);
});
