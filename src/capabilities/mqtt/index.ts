export { closeMqttClients, mqttPublish, type MqttPublishArgs } from "./mqtt-clients.js";
export { spinMqtt } from "./spin-mqtt.js";
