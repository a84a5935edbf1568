import { callHost, HostCallFailed } from "../../engine/worker/host-call.js";
import type { AllowedHost } from "../outbound-http/allowed-hosts.js";
import { checkOutboundAddress, type AddressKind } from "../outbound-http/outbound-address.js";
import type { MqttPublishArgs } from "./mqtt-clients.js";

const MQTT: AddressKind = { name: "an MQTT connection", defaultPorts: { "mqtt:": "1883", "mqtts:": "8883" } };

const QOS: Record<string, 0 | 1 | 2> = { "at-most-once": 0, "at-least-once": 1, "exactly-once": 2 };

/**
 * `fermyon:spin/mqtt@2.0.0` for one instance: `Connection.open` takes an `mqtt://` address
 * `allowed_outbound_hosts` allows; publishes go through main's client for that address.
 */
export function spinMqtt(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly settings: Omit<MqttPublishArgs, "topic" | "payload" | "qos">) {}

    static open(address: string, username: string, password: string, keepAliveSecs: bigint): Connection {
      const refused = checkOutboundAddress(address, MQTT, allowed, log);
      if (refused?.reason === "invalid") throw { tag: "invalid-address" };
      if (refused) throw { tag: "connection-failed", val: refused.message };
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
