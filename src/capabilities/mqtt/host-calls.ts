/**
 * The host calls of the mqtt capability: what its guest imports ask of main, and what main
 * answers. Imported as types only, by both threads.
 */
export interface MqttHostCalls {
  /** One publish through main's shared client for the address and credentials; answers when sent. */
  "mqtt.publish": { args: MqttPublishArgs; answer: void };
}

export interface MqttPublishArgs {
  address: string;
  username: string;
  password: string;
  keepAliveSecs: number;
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
}
