import { WispError } from "../errors/wisp-error.js";

/** Parses `--listen HOST:PORT` (`[::1]:3000` for IPv6). */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65_535) {
    throw new WispError(
      "LISTEN_INVALID",
      `--listen ${JSON.stringify(text)} is not HOST:PORT`,
      "for example --listen 127.0.0.1:3000",
    );
  }
  return { host: match[1] ?? match[2]!, port };
}
