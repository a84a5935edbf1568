export { mqtt } from "./capability.js";
export type { MqttPublishArgs } from "./mqtt-clients.js";
