import type { GuestImportsBuilder } from "../capability.js";
import { spinMqtt, spinMqttAsync } from "./spin-mqtt.js";

/** Worker: Spin's outbound MQTT, to the brokers the component's `allowed_outbound_hosts` allows. */
export const mqttImports: GuestImportsBuilder<undefined> = (_grant, instance) => ({
  "fermyon:spin/mqtt": spinMqtt(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
  "spin:mqtt/mqtt": spinMqttAsync(instance.allowedOutboundHosts, (line) => instance.request.log(line)),
});
