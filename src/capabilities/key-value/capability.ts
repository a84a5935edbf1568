import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import { componentKey } from "../../manifest/index.js";
import type { Capability } from "../capability.js";
import { checkStoreFiles, grantLabels, type StoreKind } from "../labelled-stores.js";
import { keyValueStoreSection } from "./runtime-config.js";
import type { KeyValueBackend } from "./store.js";

const STORES: StoreKind = { what: "key-value store", manifestKey: "key_value_stores", section: "key_value_store" };
const KEYS = [
  componentKey({
    name: "key_value_stores",
    schema: z.array(z.string()),
    hint: 'list the labels of the stores it opens, e.g. key_value_stores = ["default"]',
  }),
] as const;

/**
 * Key-value stores: a component opens the labels its `key_value_stores` grants, each a SQLite
 * file or a Redis server the runtime config names (a Redis store's calls go through the redis
 * capability's host call).
 */
export const keyValue: Capability<Array<[string, KeyValueBackend]>, Map<string, KeyValueBackend>, typeof KEYS> = {
  name: "key-value",
  interfaces: {
    "fermyon:spin/key-value": "fermyon:spin@2.0.0",
    "wasi:keyvalue/store": "wasi:keyvalue@0.2.0-draft2",
    "wasi:keyvalue/atomics": "wasi:keyvalue@0.2.0-draft2",
    "wasi:keyvalue/batch": "wasi:keyvalue@0.2.0-draft2",
  },
  asyncInterfaces: { "spin:key-value/key-value": "spin:key-value@3.0.0" },
  // Each function that reaches the store (a Redis store's answer is main's).
  suspending: {
    "fermyon:spin/key-value": ["get", "set", "delete", "exists", "get-keys"].map((method) => `[method]store.${method}`),
    "wasi:keyvalue/store": ["get", "set", "delete", "exists", "list-keys"].map((method) => `[method]bucket.${method}`),
    "wasi:keyvalue/atomics": ["increment", "swap", "[method]cas.current"],
    "wasi:keyvalue/batch": ["get-many", "set-many", "delete-many"],
  },
  manifestKeys: KEYS,
  runtimeConfig: keyValueStoreSection,
  grant: (component, app, keys) =>
    grantLabels(keys.key_value_stores ?? [], app.config, STORES, {
      manifestFile: app.manifestFile,
      componentId: component.id,
    }),
  noGrant: () => [],
  checkGrants: (grants, manifestFile) =>
    checkStoreFiles(
      grants.flatMap(([componentId, stores]) =>
        stores.flatMap(([label, backend]) =>
          backend.type === "spin" ? [{ componentId, label, path: backend.path }] : [],
        ),
      ),
      STORES,
      manifestFile,
    ),
  guestImports: async () => (await import("./guest-imports.js")).keyValueImports,
};
