import { it } from "vitest";
import { startRecordedServer } from "./start-server.js";

it("starts a server and fails before stopping it", async () => {
  await startRecordedServer("failed");
  throw new Error("a deliberate failure: the server must not outlive this file");
});
