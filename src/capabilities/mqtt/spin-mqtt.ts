import { callHost, HostCallFailed } from "../../engine/worker/host-call.js";
import { isAllowed, type AllowedHost } from "../outbound-http/allowed-hosts.js";
import type { MqttPublishArgs } from "./mqtt-clients.js";

const QOS: Record<string, 0 | 1 | 2> = { "at-most-once": 0, "at-least-once": 1, "exactly-once": 2 };

/**
 * `fermyon:spin/mqtt@2.0.0` for one instance: `Connection.open` takes an `mqtt://` address
 * `allowed_outbound_hosts` allows; publishes go through main's client for that address.
 */
export function spinMqtt(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly settings: Omit<MqttPublishArgs, "topic" | "payload" | "qos">) {}

    static open(address: string, username: string, password: string, keepAliveSecs: bigint): Connection {
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw { tag: "invalid-address" };
      }
      if (!["mqtt:", "mqtts:"].includes(url.protocol)) throw { tag: "invalid-address" };
      const check = new URL(`${url.protocol}//${url.hostname}:${url.port || (url.protocol === "mqtts:" ? "8883" : "1883")}`);
      if (!isAllowed(allowed, check)) {
        log(`wisp: denied an MQTT connection to ${check.host}: add "${check.protocol}//${check.host}" to allowed_outbound_hosts to allow it`);
        throw { tag: "connection-failed", val: `access denied: ${check.host} is not in allowed_outbound_hosts` };
      }
      return new Connection({ address, username, password, keepAliveSecs: Number(keepAliveSecs) });
    }

    publish(topic: string, payload: Uint8Array, qos: string): void {
      try {
        callHost("mqtt.publish", { ...this.settings, topic, payload, qos: QOS[qos] ?? 0 } satisfies MqttPublishArgs);
      } catch (error) {
        if (error instanceof HostCallFailed) throw { tag: "connection-failed", val: error.message };
        throw error;
      }
    }
  }
  return { Connection };
}
