import mqtt, { type MqttClient } from "mqtt";
import { parseOutboundAddress } from "../outbound-networking/index.js";
import type { MqttPublishArgs } from "./host-calls.js";
import { MQTT } from "./mqtt-address.js";

/** One client per address and credentials, shared by every worker and request. */
const clients = new Map<string, Promise<MqttClient>>();

function clientFor(args: MqttPublishArgs): Promise<MqttClient> {
  const key = `${args.address}\u0000${args.username}\u0000${args.password}`;
  let client = clients.get(key);
  if (!client) {
    // mqtt.js reads a URL with Node's legacy parser, which finds another host than the URL
    // Standard in some addresses (`mqtt://a\@b`): connect to the host and port the check saw.
    const target = parseOutboundAddress(args.address, MQTT);
    if ("invalid" in target) return Promise.reject(new Error(`invalid MQTT address: ${target.invalid}`));
    client = new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect({
        protocol: target.url.protocol === "mqtts:" ? "mqtts" : "mqtt",
        host: target.host,
        port: target.port,
        username: args.username || undefined,
        password: args.password || undefined,
        keepalive: args.keepAliveSecs,
        connectTimeout: 5_000,
        reconnectPeriod: 1_000,
      });
      c.once("connect", () => resolve(c));
      c.once("error", (error) => {
        clients.delete(key);
        c.end(true);
        reject(error);
      });
    });
    clients.set(key, client);
    client.catch(() => clients.delete(key));
  }
  return client;
}

/** Main thread: publishes for a guest; resolves once the broker has it at the asked QoS. */
export async function mqttPublish(args: MqttPublishArgs): Promise<void> {
  const client = await clientFor(args);
  await client.publishAsync(args.topic, Buffer.from(args.payload), { qos: args.qos });
}

export async function closeMqttClients(): Promise<void> {
  const all = await Promise.allSettled([...clients.values()]);
  await Promise.all(all.flatMap((r) => (r.status === "fulfilled" ? [r.value.endAsync(true).catch(() => {})] : [])));
  clients.clear();
}
