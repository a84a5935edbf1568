import { beforeAll, it } from "vitest";
import { startRecordedServer } from "./start-server.js";

beforeAll(async () => {
  await startRecordedServer("timed-out");
});

it("times out while its server runs", { timeout: 500 }, () => new Promise<void>(() => {}));
