import { describe, expect, it } from "vitest";
import { monotonicClockOf } from "../../../../src/engine/wasi-p2/clocks-random.js";
import { FutureIncomingResponse, IncomingResponse } from "../../../../src/engine/wasi-p2/http-types.js";
import { InputStream, OutputStream, Pollable, READY, poll, suspendingPoll } from "../../../../src/engine/wasi-p2/io.js";
import { CollectingOutput } from "../../../../src/engine/io/memory-streams.js";
import type { InputStream as ByteSource } from "../../../../src/engine/io/streams.js";

/** A source that fills as a test pushes (an upstream body arriving), or fails. */
function arriving(): { source: ByteSource; push(bytes: string): void; end(): void; fail(message: string): void } {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let failed: string | undefined;
  let arrived = Promise.withResolvers<void>();
  const wake = () => {
    arrived.resolve();
    arrived = Promise.withResolvers<void>();
  };
  const source: ByteSource = {
    ready: () => chunks.length > 0 || ended,
    readNow: () => {
      if (chunks.length > 0) return chunks.shift()!;
      if (failed) throw new Error(failed);
      return ended ? null : new Uint8Array(0);
    },
    read: () => source.readNow(1 << 16),
    whenReady: () => (source.ready() ? Promise.resolve() : arrived.promise),
  };
  return {
    source,
    push: (bytes) => {
      chunks.push(new TextEncoder().encode(bytes));
      wake();
    },
    end: () => {
      ended = true;
      wake();
    },
    fail: (message) => {
      failed = message;
      ended = true;
      wake();
    },
  };
}

const MS = 1_000_000n;

/** A pollable that a test makes ready, settling then (a suspending guest's). */
function settlingPollable(): { pollable: Pollable; makeReady(): void } {
  let ready = false;
  const settled = Promise.withResolvers<void>();
  return {
    pollable: new Pollable(
      () => ready,
      undefined,
      () => settled.promise,
    ),
    makeReady: () => {
      ready = true;
      settled.resolve();
    },
  };
}

/** WASI 0.2's waits for a guest whose glue suspends (JSPI): promises the glue awaits, the thread free meanwhile. */
describe("suspending waits (wasi:io/poll 0.2)", () => {
  it("answers the ready ones without waiting on the others", async () => {
    const { pollable } = settlingPollable();
    // A promise only when the thread is due a turn (see TURN_MS), settled with the same.
    expect(await suspendingPoll([pollable, READY])).toEqual(new Uint32Array([1]));
  });

  it("fails once the request is let go of: a guest polling on and on unwinds", () => {
    const letGo = new AbortController();
    letGo.abort();
    expect(() => suspendingPoll([READY], letGo.signal)).toThrow();
  });

  it("waits on the settling of those that settle, and answers which are ready then", async () => {
    const first = settlingPollable();
    const second = settlingPollable();
    const answer = suspendingPoll([first.pollable, second.pollable]);
    expect(answer).toBeInstanceOf(Promise);
    let settled = false;
    void (answer as Promise<Uint32Array>).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    second.makeReady();
    expect(await answer).toEqual(new Uint32Array([1]));
  });

  it("a suspending guest's timer settles, its block a promise; a blocking guest's timer blocks", async () => {
    // Whether each is ready once its wait is over says it waited for its deadline (the clock's own).
    const suspending = monotonicClockOf(true).subscribeDuration(30n * MS);
    expect(suspending.ready()).toBe(false);
    const blocked = suspending.block();
    expect(blocked).toBeInstanceOf(Promise);
    await blocked;
    expect(suspending.ready()).toBe(true);

    const blocking = monotonicClockOf(false).subscribeDuration(30n * MS);
    expect(blocking.settled).toBeUndefined();
    expect(blocking.ready()).toBe(false);
    expect(blocking.block()).toBeUndefined();
    expect(blocking.ready()).toBe(true);
    expect(poll([blocking])).toEqual(new Uint32Array([0]));
  });

  it("a suspending guest's timer fails as soon as its request is let go of, so its instance can be freed", async () => {
    const letGo = new AbortController();
    const hour = monotonicClockOf(true, letGo.signal).subscribeDuration(3_600_000n * MS);
    const waiting = suspendingPoll([hour]);
    setTimeout(() => letGo.abort(), 10);
    const started = performance.now();
    await expect(waiting).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("an outbound response awaited: `get` answers nothing until it has come, then once", async () => {
    const arrived = Promise.withResolvers<{ tag: "ok"; val: IncomingResponse }>();
    let sent = 0;
    const future = new FutureIncomingResponse(() => {
      sent++;
      return arrived.promise;
    }, true);
    expect(future.get()).toBeUndefined();
    const pollable = future.subscribe();
    expect(pollable.ready()).toBe(false);
    const waiting = suspendingPoll([pollable]);
    arrived.resolve({ tag: "ok", val: new IncomingResponse(204, [], new Uint8Array()) });
    expect(await waiting).toEqual(new Uint32Array([0]));
    const got = future.get();
    expect(got?.tag).toBe("ok");
    expect((got as { val: { tag: string; val: IncomingResponse } }).val.val.status()).toBe(204);
    expect(future.get()).toEqual({ tag: "err", val: undefined });
    // The request went out once, however often the guest looked.
    expect(sent).toBe(1);
  });

  it("an outbound request that fails on the host reaches the guest as an error, never a rejection", async () => {
    const future = new FutureIncomingResponse(() => Promise.reject(new Error("main went away")), true);
    await suspendingPoll([future.subscribe()]);
    expect(future.get()).toMatchObject({ tag: "ok", val: { tag: "err", val: { tag: "internal-error" } } });
  });

  it("a blocking read of a body still arriving answers a promise, settled with the bytes as they come", async () => {
    const body = arriving();
    const stream = new InputStream(body.source, true);
    const first = stream.blockingRead(100n) as unknown as Promise<Uint8Array>;
    expect(first).toBeInstanceOf(Promise);
    body.push("first");
    expect(new TextDecoder().decode(await first)).toBe("first");
    expect(stream.subscribe().ready()).toBe(false);
    const waiting = suspendingPoll([stream.subscribe()]);
    body.end();
    expect(await waiting).toEqual(new Uint32Array([0]));
    expect(() => stream.blockingRead(100n)).toThrow(expect.objectContaining({ tag: "closed" }));
  });

  it("a body that fails on the way is the stream's last-operation-failed, never a clean end", async () => {
    const body = arriving();
    const stream = new InputStream(body.source, true);
    const reading = stream.blockingRead(100n) as unknown as Promise<Uint8Array>;
    body.fail("the upstream went away");
    await expect(reading).rejects.toMatchObject({ tag: "last-operation-failed" });
  });

  it("forwards (0.2.0-rc-2023-10-18) a source that settles as it arrives, waiting rather than blocking, to its end", async () => {
    const body = arriving();
    const sink = new CollectingOutput();
    const forwarding = new OutputStream(sink).forward(new InputStream(body.source, true)) as unknown as Promise<bigint>;
    expect(forwarding).toBeInstanceOf(Promise);
    body.push("first ");
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.text()).toBe("first ");
    body.push("second");
    body.end();
    expect(await forwarding).toBe(12n);
    expect(sink.text()).toBe("first second");
  });
});
