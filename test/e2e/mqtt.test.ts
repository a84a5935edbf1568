import { randomUUID } from "node:crypto";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/dist.js";
import { reachable } from "../support/services.js";
import { waitFor } from "../support/wait-for.js";
import { WispProcess } from "../support/wisp-process.js";

const brokerUp = await reachable(1883);
if (!brokerUp) console.warn("skipping outbound MQTT: no broker on 127.0.0.1:1883");

describe.skipIf(!brokerUp)("outbound MQTT: fermyon:spin/mqtt behind allowed_outbound_hosts", () => {
  let wisp: WispProcess & { url: string };
  const topic = `wisp/test/${randomUUID()}`;
  const address = encodeURIComponent("mqtt://127.0.0.1:1883");

  beforeAll(async () => {
    wisp = await WispProcess.up(["-f", join(repoRoot, "test/fixtures/apps/mqtt")]);
  });
  afterAll(async () => {
    await wisp?.stop();
  });

  it("publishes a guest's messages to the broker, where a subscriber receives them", async () => {
    const subscriber = await mqtt.connectAsync("mqtt://127.0.0.1:1883");
    const received: string[] = [];
    subscriber.on("message", (_topic, payload) => received.push(payload.toString()));
    await subscriber.subscribeAsync(topic, { qos: 1 });
    try {
      for (const message of ["first", "second"]) {
        const response = await fetch(`${wisp.url}/allowed?address=${address}&topic=${encodeURIComponent(topic)}`, {
          method: "POST",
          body: message,
        });
        expect(await response.text()).toBe("published\n");
      }
      await waitFor(() => received.length === 2);
      expect(received).toEqual(["first", "second"]);
    } finally {
      await subscriber.endAsync();
    }
  });

  it("denies a broker the component was not allowed, with a log line", async () => {
    const response = await fetch(`${wisp.url}/closed?address=${address}&topic=${encodeURIComponent(topic)}`, {
      method: "POST",
      body: "x",
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { tag: string } }).error.tag).toBe("connection-failed");
    await waitFor(() => wisp.stderr.includes("[closed] wisp: denied an MQTT connection to 127.0.0.1:1883"));
  });
});
