import { connect } from "node:net";

/**
 * Whether a service this machine should run (Redis, PostgreSQL...) answers on its port. Tests of
 * capabilities that need one skip with a one-line reason where it is absent.
 */
export function reachable(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host, timeout: 1_000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}
