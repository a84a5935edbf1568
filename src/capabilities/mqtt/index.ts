export { mqtt } from "./capability.js";
export type { MqttHostCalls, MqttPublishArgs } from "./host-calls.js";
