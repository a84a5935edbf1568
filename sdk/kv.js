// @wisp/sdk/kv: key-value stores granted by the manifest's `key_value_stores`.
import { Store } from "fermyon:spin/key-value@2.0.0";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytes(value) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return encoder.encode(value);
  return encoder.encode(JSON.stringify(value));
}

export const kv = {
  open(label = "default") {
    const store = Store.open(label);
    return {
      get: (key) => store.get(key),
      getText: (key) => {
        const value = store.get(key);
        return value === undefined ? undefined : decoder.decode(value);
      },
      getJson: (key) => {
        const value = store.get(key);
        return value === undefined ? undefined : JSON.parse(decoder.decode(value));
      },
      set: (key, value) => store.set(key, bytes(value)),
      delete: (key) => store.delete(key),
      exists: (key) => store.exists(key),
      keys: () => store.getKeys(),
    };
  },
};
