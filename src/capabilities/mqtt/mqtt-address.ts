import type { AddressKind } from "../outbound-networking/index.js";

/** MQTT broker addresses; no query parameters (main's client takes none from the address). */
export const MQTT: AddressKind = { name: "an MQTT connection", defaultPorts: { "mqtt:": "1883", "mqtts:": "8883" } };
