import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { runWisp, WispProcess } from "../support/wisp-process.js";

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe("wisp watch", () => {
  it("rebuilds and reloads a changed component without dropping in-flight requests, reloads on manifest changes, survives a broken build", async () => {
    const parent = mkdtempSync(join(tmpdir(), "wisp-watch-"));
    expect((await runWisp(["new", "http-js", "live"], { cwd: parent })).code).toBe(0);
    const dir = join(parent, "live");
    const wisp = await WispProcess.serve("watch", [], { cwd: dir, timeoutMs: 90_000 });
    try {
      await waitFor(() => wisp.stdout.includes("Watching for changes"), 10_000);
      expect(await (await fetch(`${wisp.url}/`)).json()).toMatchObject({ message: "Hello from live!" });

      // A request in flight across the reload: half its body now, the rest after the swap.
      let echoed = "";
      const inFlight = new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          `${wisp.url}/echo`,
          { method: "POST", agent: false, headers: { "transfer-encoding": "chunked" } },
          (res) => {
            res
              .setEncoding("utf8")
              .on("data", (d: string) => (echoed += d))
              .on("end", () => resolve(echoed));
          },
        );
        req.on("error", reject);
        req.write("before the reload, ");
        void waitFor(() => wisp.stdout.includes("Reloaded"), 60_000).then(() => req.end("after it"), reject);
      });

      const source = join(dir, "src/index.js");
      writeFileSync(source, readFileSync(source, "utf8").replace("Hello from", "Howdy from"));
      await waitFor(() => wisp.stdout.includes("Reloaded"), 60_000);
      expect(await (await fetch(`${wisp.url}/`)).json()).toMatchObject({ message: "Howdy from live!" });
      expect(await inFlight).toBe("before the reload, after it");

      // The build wrote dist/live.wasm; that must not start another build.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(count(wisp.stdout, "Building component live")).toBe(2);

      // A manifest change reloads the app.
      appendFileSync(
        join(dir, "spin.toml"),
        '\n[[trigger.http]]\nroute = "/moved"\nstatic_response = { status_code = 301, headers = { location = "/" } }\n',
      );
      await waitFor(() => count(wisp.stdout, "Reloaded") === 2, 60_000);
      expect((await fetch(`${wisp.url}/moved`, { redirect: "manual" })).status).toBe(301);
      expect(count(wisp.stdout, "Building component live")).toBe(2);

      // A broken build is reported; the last good version serves on.
      writeFileSync(source, "addEventListener('fetch', (event) => {\n");
      await waitFor(() => wisp.stdout.includes("Still serving the last version"), 60_000);
      expect(await (await fetch(`${wisp.url}/`)).json()).toMatchObject({ message: "Howdy from live!" });
    } finally {
      expect(await wisp.stop()).toBe(0);
    }
  });
});
