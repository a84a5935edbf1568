import { it } from "vitest";
import { startRecordedServer } from "./start-server.js";

it("kills its own worker while its server runs", async () => {
  await startRecordedServer("crashed");
  // No hook and no exit handler runs in this worker now: only the sweep after the run is left.
  process.kill(process.pid, "SIGKILL");
});
