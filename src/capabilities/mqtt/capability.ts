import type { Capability } from "../capability.js";
import { lazyModule } from "../lazy-module.js";
import type { HostCallHandlersFor } from "../../engine/worker/protocol.js";
import type { MqttHostCalls } from "./host-calls.js";

const clients = lazyModule(() => import("./mqtt-clients.js"));

/** Outbound MQTT: publishes to the brokers `allowed_outbound_hosts` allows, through one client per address on main. */
export const mqtt: Capability = {
  name: "mqtt",
  interfaces: { "fermyon:spin/mqtt": "fermyon:spin@2.0.0" },
  asyncInterfaces: { "spin:mqtt/mqtt": "spin:mqtt@3.0.0" },
  suspending: { "fermyon:spin/mqtt": ["[static]connection.open", "[method]connection.publish"] },
  manifestKeys: [],
  guestImports: async () => (await import("./guest-imports.js")).mqttImports,
  hostCalls: {
    "mqtt.publish": async (args) => (await clients()).mqttPublish(args),
  } satisfies HostCallHandlersFor<MqttHostCalls>,
  close: async () => {
    if (clients.used) await (await clients()).closeMqttClients();
  },
};
