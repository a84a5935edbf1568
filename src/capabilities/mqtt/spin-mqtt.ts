import { awaitHostCall, hostCall, witError } from "../guest-errors.js";
import type { AllowedHost } from "../outbound-networking/index.js";
import { checkOutboundAddress } from "../outbound-networking/index.js";
import { MQTT } from "./mqtt-address.js";
import type { MqttHostCalls, MqttPublishArgs } from "./host-calls.js";
import { asyncHostCallsOf, hostCallsOf } from "../../engine/worker/host-call.js";
import type { HostImplementation } from "../../engine/component/host-implementation.js";
import type * as SpinMqtt from "../../generated/fermyon-spin/interfaces/fermyon-spin-mqtt.js";
import type * as SpinMqttAsync from "../../generated/spin-mqtt@3.0.0/interfaces/spin-mqtt-mqtt.js";

const QOS: Record<string, 0 | 1 | 2> = { "at-most-once": 0, "at-least-once": 1, "exactly-once": 2 };

const callMain = hostCallsOf<MqttHostCalls>();
const callMainAsync = asyncHostCallsOf<MqttHostCalls>();

type Settings = Omit<MqttPublishArgs, "topic" | "payload" | "qos">;

/** A failure on main (the broker refused, or is down) as the interface's `connection-failed`. */
const failed = (message: string) =>
  witError("connection-failed", message) satisfies SpinMqtt.Error & SpinMqttAsync.Error;

/**
 * What a connection publishes with: a `mqtt://` address `allowed_outbound_hosts` allows (logged
 * when not), with the credentials and keep-alive the guest gave.
 */
function settingsFor(
  address: string,
  username: string,
  password: string,
  keepAliveSecs: bigint,
  allowed: readonly AllowedHost[],
  log: (line: string) => void,
): Settings {
  const checked = checkOutboundAddress(address, MQTT, allowed, log);
  if (!checked.ok) throw checked.reason === "invalid" ? witError("invalid-address") : failed(checked.message);
  return { address: checked.address, username, password, keepAliveSecs: Number(keepAliveSecs) };
}

/**
 * `fermyon:spin/mqtt@2.0.0` for one instance: `Connection.open` takes an `mqtt://` address
 * `allowed_outbound_hosts` allows; publishes go through main's client for that address.
 */
export function spinMqtt(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly settings: Settings) {}

    static open(address: string, username: string, password: string, keepAliveSecs: bigint): Connection {
      return new Connection(settingsFor(address, username, password, keepAliveSecs, allowed, log));
    }

    publish(topic: string, payload: Uint8Array, qos: string): void {
      hostCall(() => callMain("mqtt.publish", { ...this.settings, topic, payload, qos: QOS[qos] ?? 0 }), failed);
    }
  }
  return { Connection } satisfies HostImplementation<typeof SpinMqtt>;
}

/**
 * `spin:mqtt/mqtt@3.0.0` (Spin 4) for one instance: 2.0's, the publish awaited (the thread runs
 * the guest's other tasks until the broker acknowledges), with the same checks and clients.
 */
export function spinMqttAsync(allowed: readonly AllowedHost[], log: (line: string) => void) {
  class Connection {
    private constructor(private readonly settings: Settings) {}

    static open(address: string, username: string, password: string, keepAliveSecs: bigint): Promise<Connection> {
      return Promise.resolve().then(
        () => new Connection(settingsFor(address, username, password, keepAliveSecs, allowed, log)),
      );
    }

    async publish(topic: string, payload: Uint8Array, qos: string): Promise<void> {
      await awaitHostCall(
        () => callMainAsync("mqtt.publish", { ...this.settings, topic, payload, qos: QOS[qos] ?? 0 }),
        failed,
      );
    }
  }
  return { Connection } satisfies HostImplementation<typeof SpinMqttAsync>;
}
