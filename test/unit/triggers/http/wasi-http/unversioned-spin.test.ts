import { describe, expect, it } from "vitest";
import {
  UNVERSIONED_SPIN_ALIASES,
  unversionedSpinHosts,
} from "../../../../../src/triggers/http/executors/wasi-http/spin1/unversioned-spin.js";

/** What a call threw, or undefined. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Spin 1.4's unversioned interfaces over fake 2.0 hosts that grant the store "default" only. */
function hosts() {
  const stored = new Map<string, Uint8Array>();
  return unversionedSpinHosts({
    "fermyon:spin/variables": {
      get: (name: string) => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the variables capability answers: the WIT variant
        if (name !== "greeting") throw { tag: "undefined", val: `no variable ${name}` };
        return "hello";
      },
    },
    "fermyon:spin/key-value": {
      Store: {
        open: (label: string) => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the key-value capability denies: the WIT variant
          if (label !== "default") throw { tag: "access-denied" };
          return {
            get: (key: string) => stored.get(key),
            set: (key: string, value: Uint8Array) => void stored.set(key, value),
            delete: (key: string) => void stored.delete(key),
            exists: (key: string) => stored.has(key),
            getKeys: () => [...stored.keys()],
          };
        },
      },
    },
    "fermyon:spin/redis": {
      Connection: {
        open: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the redis capability refuses an address: the WIT variant
          throw { tag: "other", val: "not allowed" };
        },
      },
    },
    "wasi:http/outgoing-handler": {
      handle: () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- as the outbound capability denies: the WIT variant
        throw { tag: "HTTP-request-denied" };
      },
    },
  });
}

describe("Spin 1.4's unversioned fermyon:spin interfaces, as a component's glue calls them", () => {
  it("are reached by their own names, while the 2.0.0 imports keep the 2.0 hosts", () => {
    expect(UNVERSIONED_SPIN_ALIASES["fermyon:spin/key-value"]).toBe("fermyon:spin/key-value@unversioned");
    expect(UNVERSIONED_SPIN_ALIASES["fermyon:spin/key-value@2.0.0"]).toBe("fermyon:spin/key-value");
  });

  it("answer with Spin 1's own errors: provider, access-denied, no-such-key, invalid-store, error, destination-not-allowed", () => {
    const spin = hosts();
    const imports = spin.imports;
    const config = imports["fermyon:spin/config@unversioned"] as { getConfig(key: string): string };
    expect(config.getConfig("greeting")).toBe("hello");
    expect(thrown(() => config.getConfig("other"))).toEqual({ tag: "provider", val: "no variable other" });
    const kv = imports["fermyon:spin/key-value@unversioned"] as {
      open(name: string): number;
      get(store: number, key: string): Uint8Array;
      set(store: number, key: string, value: Uint8Array): void;
      close(store: number): void;
    };
    expect(thrown(() => kv.open("secret"))).toEqual({ tag: "access-denied" });
    const store = kv.open("default");
    kv.set(store, "k", Uint8Array.of(1, 2));
    expect(kv.get(store, "k")).toEqual(Uint8Array.of(1, 2));
    expect(thrown(() => kv.get(store, "missing"))).toEqual({ tag: "no-such-key" });
    // A handle the guest made up, one it closed, and one from the last request are all invalid.
    expect(thrown(() => kv.get(store + 7, "k"))).toEqual({ tag: "invalid-store" });
    const other = kv.open("default");
    kv.close(other);
    expect(thrown(() => kv.get(other, "k"))).toEqual({ tag: "invalid-store" });
    spin.reset();
    expect(thrown(() => kv.get(store, "k"))).toEqual({ tag: "invalid-store" });
    const redis = imports["fermyon:spin/redis@unversioned"] as { get(address: string, key: string): Uint8Array };
    expect(thrown(() => redis.get("redis://elsewhere", "k"))).toBe("error");
    const http = imports["fermyon:spin/http@unversioned"] as { sendRequest(request: object): unknown };
    expect(
      thrown(() => http.sendRequest({ method: "get", uri: "https://denied.test/", headers: [], params: [] })),
    ).toBe("destination-not-allowed");
  });
});
