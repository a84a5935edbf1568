import { describe, expect, it } from "vitest";
import { noGrants, type ComponentGrants } from "../../../../../src/capabilities/grants.js";
import {
  parseAllowedHost,
  type AllowedHost,
} from "../../../../../src/capabilities/outbound-networking/allowed-hosts.js";
import {
  p3SuspendingCalls,
  suspendingGlue,
} from "../../../../../src/triggers/http/executors/wasi-http/suspending-glue.js";

const WASI = [
  "wasi:io/poll@0.2.3",
  "wasi:io/streams@0.2.3",
  "wasi:http/types@0.2.3",
  "wasi:clocks/monotonic-clock@0.2.3",
];
const HANDLER = ["wasi:http/incoming-handler@0.2.3"];

function granted(...hosts: string[]): ComponentGrants {
  return { ...noGrants("c"), allowedOutboundHosts: hosts.map((h) => parseAllowedHost(h) as AllowedHost) };
}

/** Which wasi:http 0.2 components wait without holding their thread (JSPI), and what then suspends. */
describe("suspendingGlue", () => {
  it("is for a component that sends outbound requests it is granted: its poll and block suspend, and its handler", () => {
    const glue = suspendingGlue(
      { imports: [...WASI, "wasi:http/outgoing-handler@0.2.3"], exports: HANDLER },
      granted("http://example.com"),
    );
    expect(glue?.exports).toEqual(["wasi:http/incoming-handler#handle"]);
    expect(glue?.imports).toEqual(
      expect.arrayContaining([
        "wasi:io/poll#poll",
        "wasi:io/poll#[method]pollable.block",
        "wasi:io/streams#[method]input-stream.blocking-read",
        "wasi:io/streams#[method]output-stream.blocking-write-and-flush",
      ]),
    );
    expect(glue?.imports.some((name) => !name.startsWith("wasi:io/"))).toBe(false);
  });

  it("is not for a component that waits on nothing: it keeps the synchronous glue (and may run inline)", () => {
    expect(suspendingGlue({ imports: WASI, exports: HANDLER }, granted("http://example.com"))).toBeUndefined();
    // Importing the handler ungranted, every request it sends is refused at once.
    expect(
      suspendingGlue({ imports: [...WASI, "wasi:http/outgoing-handler@0.2.3"], exports: HANDLER }, granted()),
    ).toBeUndefined();
  });

  it("is not for a component importing what waits synchronously: Spin 1.4's unversioned interfaces", () => {
    expect(
      suspendingGlue(
        { imports: [...WASI, "wasi:http/outgoing-handler@0.2.3", "fermyon:spin/http"], exports: HANDLER },
        granted("http://example.com"),
      ),
    ).toBeUndefined();
  });

  it("is for one built against the 2023-10-18 release (Spin 2.0's SDKs): its poll-list, poll-one and forward suspend", () => {
    const glue = suspendingGlue(
      {
        imports: [
          "wasi:io/poll@0.2.0-rc-2023-10-18",
          "wasi:http/outgoing-handler@0.2.0-rc-2023-10-18",
          "fermyon:spin/key-value@2.0.0",
        ],
        exports: ["wasi:http/incoming-handler@0.2.0-rc-2023-10-18"],
      },
      granted("http://example.com"),
    );
    expect(glue?.imports).toEqual(
      expect.arrayContaining([
        "wasi:io/poll#poll-list",
        "wasi:io/poll#poll-one",
        "wasi:io/streams#[method]output-stream.forward",
        "fermyon:spin/key-value#[method]store.get",
      ]),
    );
  });

  it("is for a component waiting on Redis, a database, MQTT or a store: their calls suspend too", () => {
    const glue = suspendingGlue(
      {
        imports: [...WASI, "fermyon:spin/redis@2.0.0", "spin:postgres/postgres@4.0.0", "fermyon:spin/sqlite@2.0.0"],
        exports: HANDLER,
      },
      granted("redis://127.0.0.1"),
    );
    expect(glue?.imports).toEqual(
      expect.arrayContaining([
        "wasi:io/poll#poll",
        "fermyon:spin/redis#[static]connection.open",
        "fermyon:spin/redis#[method]connection.get",
        "spin:postgres/postgres#[method]connection.query",
        "spin:postgres/postgres#[method]connection.execute",
      ]),
    );
    expect(
      suspendingGlue({ imports: [...WASI, "fermyon:spin/key-value@2.0.0"], exports: HANDLER }, granted())?.imports,
    ).toContain("fermyon:spin/key-value#[method]store.get");
  });

  it("is not for one whose capabilities never wait on main (SQLite, variables)", () => {
    expect(
      suspendingGlue(
        { imports: [...WASI, "fermyon:spin/sqlite@2.0.0", "fermyon:spin/variables@2.0.0"], exports: HANDLER },
        granted(),
      ),
    ).toBeUndefined();
  });

  it("is for one using wasi:keyvalue: each call that reaches the store suspends", () => {
    const glue = suspendingGlue(
      {
        imports: [...WASI, "wasi:keyvalue/store@0.2.0-draft2", "wasi:keyvalue/atomics@0.2.0-draft2"],
        exports: HANDLER,
      },
      granted(),
    );
    expect(glue?.imports).toEqual(
      expect.arrayContaining([
        "wasi:keyvalue/store#[method]bucket.get",
        "wasi:keyvalue/store#[method]bucket.list-keys",
        "wasi:keyvalue/atomics#increment",
        "wasi:keyvalue/atomics#swap",
        "wasi:keyvalue/atomics#[method]cas.current",
      ]),
    );
    // Opening a bucket reaches nothing: it never suspends.
    expect(glue?.imports).not.toContain("wasi:keyvalue/store#open");
  });

  it("is for a component using its own sockets where it is granted any host, and not where it is granted none", () => {
    const sockets = { imports: [...WASI, "wasi:sockets/tcp@0.2.3", "wasi:sockets/network@0.2.3"], exports: HANDLER };
    expect(suspendingGlue(sockets, granted("tcp://127.0.0.1:6379"))?.imports).toContain("wasi:io/poll#poll");
    expect(suspendingGlue(sockets, granted())).toBeUndefined();
  });

  it("for a 0.3 component: Spin 3's calls it imports beside Spin 4's, and WASI 0.2's waits, suspend it", () => {
    const calls = p3SuspendingCalls({
      imports: [
        "wasi:io/poll@0.2.6",
        "wasi:clocks/monotonic-clock@0.2.6",
        "fermyon:spin/mysql@2.0.0",
        "spin:redis/redis@3.0.0",
      ],
      exports: ["wasi:http/handler@0.3.0"],
    });
    expect(calls?.imports).toEqual(
      expect.arrayContaining([
        "wasi:io/poll#poll",
        "fermyon:spin/mysql#[method]connection.query",
        "fermyon:spin/mysql#[method]connection.execute",
      ]),
    );
    // Not 0.2's streams, which it does not import; nor Spin 4's, whose calls are async already.
    expect(calls?.imports.some((name) => name.startsWith("wasi:io/streams#") || name.startsWith("spin:redis/"))).toBe(
      false,
    );
    expect(calls?.exports).toEqual([]);
    expect(
      p3SuspendingCalls({ imports: ["wasi:cli/environment@0.3.0"], exports: ["wasi:http/handler@0.3.0"] }),
    ).toBeUndefined();
  });
});
