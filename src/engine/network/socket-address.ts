import { isIPv4, isIPv6 } from "node:net";

/**
 * WASI's IP addresses as jco's glue passes them, the same shapes in 0.2 and 0.3: an IPv4 address
 * as four octets, an IPv6 one as eight 16-bit groups.
 */
export type IpAddress = { tag: "ipv4"; val: [number, number, number, number] } | { tag: "ipv6"; val: Ipv6Groups };
type Ipv6Groups = [number, number, number, number, number, number, number, number];
export type IpAddressFamily = "ipv4" | "ipv6";

export type IpSocketAddress =
  | { tag: "ipv4"; val: { port: number; address: [number, number, number, number] } }
  | { tag: "ipv6"; val: { port: number; flowInfo: number; address: Ipv6Groups; scopeId: number } };

/** An IP address as text: `a.b.c.d`, or `x:…:x` (uncompressed, which node:net takes as it is). */
export function ipText(address: IpAddress): string {
  return address.tag === "ipv4" ? address.val.join(".") : address.val.map((part) => part.toString(16)).join(":");
}

/** The IP address of a socket address. */
export function ipOf(address: IpSocketAddress): IpAddress {
  return { tag: address.tag, val: address.val.address } as IpAddress;
}

/** An IP socket address as text: `a.b.c.d:port`, `[x:…:x]:port`. */
export function addressText(address: IpSocketAddress): string {
  const ip = ipText(ipOf(address));
  return address.tag === "ipv4" ? `${ip}:${address.val.port}` : `[${ip}]:${address.val.port}`;
}

/** What binding "anywhere" means for a family: any address, any port. */
export function wildcard(family: IpAddressFamily): IpSocketAddress {
  return family === "ipv4"
    ? { tag: "ipv4", val: { port: 0, address: [0, 0, 0, 0] } }
    : { tag: "ipv6", val: { port: 0, flowInfo: 0, address: [0, 0, 0, 0, 0, 0, 0, 0], scopeId: 0 } };
}

/** An IP address node:net gave as text (`127.0.0.1`, `::1`, `::ffff:127.0.0.1`), or undefined for anything else. */
export function parseIp(text: string): IpAddress | undefined {
  if (isIPv4(text)) return { tag: "ipv4", val: text.split(".").map(Number) as [number, number, number, number] };
  if (!isIPv6(text)) return undefined;
  // A zone (`fe80::1%eth0`) is the socket's scope, not the address's; an IPv4 tail
  // (`::ffff:1.2.3.4`) is the last two groups.
  const bare = text
    .replace(/%.*$/, "")
    .replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a: string, b: string, c: string, d: string) =>
      [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(":"),
    );
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  const [head, tail] = bare.split("::") as [string, string | undefined];
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return { tag: "ipv6", val: [...front, ...zeros, ...back] as Ipv6Groups };
}

/** A socket address from what node:net reports (an address as text and a port). */
export function socketAddress(ip: string, port: number): IpSocketAddress | undefined {
  const parsed = parseIp(ip);
  if (!parsed) return undefined;
  return parsed.tag === "ipv4"
    ? { tag: "ipv4", val: { port, address: parsed.val } }
    : { tag: "ipv6", val: { port, flowInfo: 0, address: parsed.val, scopeId: 0 } };
}
