import { hostCall, witError } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress } from "../outbound-networking/index.js";
import { MQTT } from "./mqtt-address.js";
import type { MqttHostCalls, MqttPublishArgs } from "./host-calls.js";
import { hostCallsOf } from "../../engine/worker/host-call.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinMqtt from "../../generated/fermyon-spin/interfaces/fermyon-spin-mqtt.js";

const QOS: Record<string, 0 | 1 | 2> = { "at-most-once": 0, "at-least-once": 1, "exactly-once": 2 };

const callMain = hostCallsOf<MqttHostCalls>();

/**
 * `fermyon:spin/mqtt@2.0.0` for one instance: `Connection.open` takes an `mqtt://` address
 * `allowed_outbound_hosts` allows; publishes go through main's client for that address.
 */
export function spinMqtt(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly settings: Omit<MqttPublishArgs, "topic" | "payload" | "qos">) {}

    static open(address: string, username: string, password: string, keepAliveSecs: bigint): Connection {
      const checked = checkOutboundAddress(address, MQTT, allowed, log);
      if (!checked.ok)
        throw checked.reason === "invalid"
          ? (witError("invalid-address") satisfies SpinMqtt.Error)
          : (witError("connection-failed", checked.message) satisfies SpinMqtt.Error);
      return new Connection({ address: checked.address, username, password, keepAliveSecs: Number(keepAliveSecs) });
    }

    publish(topic: string, payload: Uint8Array, qos: string): void {
      hostCall(
        () => callMain("mqtt.publish", { ...this.settings, topic, payload, qos: QOS[qos] ?? 0 }),
        (message) => witError("connection-failed", message) satisfies SpinMqtt.Error,
      );
    }
  }
  return { Connection } satisfies HostImplementation<typeof SpinMqtt>;
}
