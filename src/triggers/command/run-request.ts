/** What `wisp run` was asked to run (see runCommandModule). */
export interface RunRequest {
  file: string;
  args: string[];
  env: Array<[string, string]>;
  /** `HOST[::GUEST]` grants, read-write, as wasmtime's `--dir`. */
  dirs: string[];
}
