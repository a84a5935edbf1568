import { MessageChannel, Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { distUrl } from "../../../support/dist.js";

/**
 * A concurrent worker (wasi:http 0.3 guests) may have async host calls awaiting main's answers
 * while one of its jobs makes a synchronous call (a Spin 3 interface imported by a 0.3
 * component): the synchronous call drains the port, and the answers it meets that are not its own
 * must still reach their callers.
 */
const WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
import(workerData.hostCall).then(({ setHostCallChannel, asyncHostCallsOf, hostCallsOf }) => {
  setHostCallChannel(workerData.port, workerData.signals);
  const early = asyncHostCallsOf()("slow", {});
  const now = hostCallsOf()("fast", {});
  early.then((answer) => parentPort.postMessage({ now, early: answer }), (error) => parentPort.postMessage({ error: error.message }));
});
`;

describe("host calls from one worker", () => {
  it("settles an awaited call whose answer a synchronous call met first", async () => {
    const { port1: main, port2: worker } = new MessageChannel();
    const signals = new Int32Array(new SharedArrayBuffer(64));
    const thread = new Worker(WORKER, {
      eval: true,
      workerData: { hostCall: distUrl("engine/worker/host-call.js").href, port: worker, signals },
      transferList: [worker],
    });
    try {
      const calls: Array<{ callId: number; op: string }> = [];
      const outcome = new Promise<unknown>((resolve, reject) => {
        thread.on("message", (message: { type?: string; callId: number; op: string }) => {
          if (message.type !== "host-call") return resolve(message);
          calls.push(message);
          // Both calls made: answer the awaited one first, then the blocking one.
          if (calls.length < 2) return;
          for (const call of calls) main.postMessage({ callId: call.callId, ok: true, value: `answer to ${call.op}` });
          Atomics.add(signals, 3, 1);
          Atomics.notify(signals, 3);
        });
        thread.on("error", reject);
      });
      expect(await outcome).toEqual({ now: "answer to fast", early: "answer to slow" });
    } finally {
      await thread.terminate();
      main.close();
    }
  });
});
