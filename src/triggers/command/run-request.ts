/** What `wisp run` was asked to run (see runCommandModule). */
export interface RunRequest {
  file: string;
  args: string[];
  env: Array<[string, string]>;
  /** `HOST[::GUEST]` grants, read-write, as wasmtime's `--dir`. */
  dirs: string[];
  /**
   * Network reach for WASI 0.2's and 0.3's sockets, as wasmtime's `-S inherit-network` and
   * `-S allow-ip-name-lookup`: without them a command's sockets reach no address.
   */
  network?: { inherit: boolean; lookups: boolean };
}
