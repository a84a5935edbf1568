import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureWasm } from "../dist.js";
import { WispProcess } from "../wisp-process.js";

/** Starts `wisp up` on a one-route app and writes its pid to WISP_CLEANUP_PROBE_OUT/NAME for the test outside to check. */
export async function startRecordedServer(name: string): Promise<WispProcess> {
  const out = process.env.WISP_CLEANUP_PROBE_OUT;
  if (!out) throw new Error("the cleanup probes run only from test/e2e/child-cleanup.test.ts");
  const app = mkdtempSync(join(tmpdir(), "wisp-cleanup-probe-"));
  writeFileSync(
    join(app, "spin.toml"),
    [
      "spin_manifest_version = 2",
      '[application]\nname = "probe"',
      '[[trigger.http]]\nroute = "/hello"\ncomponent = "hello"\nexecutor = { type = "wagi" }',
      `[component.hello]\nsource = ${JSON.stringify(fixtureWasm("wagi-hello"))}`,
    ].join("\n"),
  );
  const wisp = await WispProcess.up(["-f", app]);
  writeFileSync(join(out, name), String(wisp.child.pid));
  return wisp;
}
