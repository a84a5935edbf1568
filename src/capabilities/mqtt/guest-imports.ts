import type { GuestImportsBuilder } from "../capability.js";
import { spinMqtt, spinMqttAsync } from "./spin-mqtt.js";

/**
 * Worker: Spin's outbound MQTT, to the brokers the component's `allowed_outbound_hosts` allows. A
 * suspending 0.2 guest gets 2.0's connection with its calls awaited: Spin 4's, the same shapes.
 */
export const mqttImports: GuestImportsBuilder<undefined> = (_grant, instance) => ({
  "fermyon:spin/mqtt": (instance.suspends ? spinMqttAsync : spinMqtt)(instance.allowedOutboundHosts, (line) =>
    instance.request.log(line),
  ),
  "spin:mqtt/mqtt": spinMqttAsync(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
});
