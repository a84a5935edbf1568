import { mergeServed, servedAt, type ServedInterfaces } from "../component/served-interfaces.js";
import { SERVED_INTERFACES } from "../wasi-p2/host-imports.js";
import type { CliEnvironment } from "../wasi-p2/cli-filesystem.js";
import { P3Filesystem } from "./filesystem.js";
import { NO_NETWORK } from "../network/index.js";
import { P3Network } from "./sockets.js";
import { cliImports, type P3Stdio } from "./cli.js";
import { insecureRandom, insecureSeed, monotonicClock, random, systemClock, timezone } from "./clocks-random.js";
import { deniedClient, httpTypes } from "./http-types.js";

/** The WASI 0.3 release Wisp serves (as Spin 4 and wasmtime do); a 0.3.x import is served by it. */
export const WASI_P3_VERSION = "0.3.0";

/**
 * The release candidate of 0.3 that Spin 4.0's host serves and its SDKs build against (Rust's
 * spin-sdk 6 through wasip3 0.6, Go's v3, Python's 4): its interfaces are 0.3.0's, name for name
 * and type for type, so the same objects serve it. A prerelease is served only as itself.
 */
export const WASI_P3_RC = "0.3.0-rc-2026-03-15";

/** The versions of WASI 0.3 a component may import or export. */
export const WASI_P3_VERSIONS: readonly string[] = [WASI_P3_VERSION, WASI_P3_RC];

/**
 * What one run of a 0.3 component holds on the host, granted per run: the directories its
 * filesystem sees and where its sockets may go. The caller closes both when the run ends.
 */
export interface P3RunHost {
  filesystem: P3Filesystem;
  network: P3Network;
}

/** WASI 0.3's interfaces, unversioned, each with its host object. */
function p3Interfaces(
  environment: CliEnvironment,
  stdio: () => P3Stdio,
  run: P3RunHost,
): Record<string, Record<string, unknown>> {
  return {
    ...cliImports(environment, stdio),
    ...run.filesystem.imports(),
    ...run.network.imports(),
    "wasi:clocks/types": {},
    "wasi:clocks/monotonic-clock": monotonicClock,
    "wasi:clocks/system-clock": systemClock,
    "wasi:clocks/timezone": timezone,
    "wasi:random/random": random,
    "wasi:random/insecure": insecureRandom,
    "wasi:random/insecure-seed": insecureSeed(),
    "wasi:http/types": httpTypes,
    "wasi:http/client": deniedClient,
  };
}

/** The names of WASI 0.3's interfaces Wisp serves. */
export const P3_INTERFACES: readonly string[] = Object.keys(
  p3Interfaces(
    { args: [], env: [] },
    () => {
      throw new Error("unused");
    },
    { filesystem: new P3Filesystem([]), network: new P3Network(NO_NETWORK) },
  ),
);

/**
 * What a WASI 0.3 component may import: 0.3's interfaces and 0.2's (any 0.2.x), since a
 * component built for 0.3 (Rust's wasm32-wasip3: its standard library is 0.2's) imports both.
 */
export const WASI_P3_SERVED: ServedInterfaces = [
  servedAt(P3_INTERFACES, WASI_P3_VERSION),
  servedAt(P3_INTERFACES, WASI_P3_RC),
].reduce<ServedInterfaces>(mergeServed, servedAt(SERVED_INTERFACES, "0.2.0"));

/**
 * The release candidate's names of the interfaces 0.2 defines too, for prepareComponent's
 * `glueNames`: each reaches the 0.3 object under its own name (see p3Imports), never 0.2's.
 */
export const P3_GLUE_NAMES: readonly string[] = P3_INTERFACES.filter((name) => SERVED_INTERFACES.has(name)).map(
  (name) => `${name}@${WASI_P3_RC}`,
);

/**
 * One run's imports for the async glue (`run`: its files and sockets, closed by the caller when
 * the run ends; 0.2's filesystem is its own): 0.3's beside 0.2's (`p2`, keyed unversioned as the
 * 0.2 host builds them). An interface both define is keyed by the version whose object it is
 * (`wasi:cli/stdout@0.2.0`, `@0.3.0`), as prepareComponent's map names it (see versionedGlueNames);
 * the rest unversioned. `capabilities` (a served component's grants: the outbound HTTP
 * capability's `wasi:http/client`, say) come last, under their own keys, replacing the defaults.
 */
export function p3Imports(
  p2: Record<string, Record<string, unknown>>,
  environment: CliEnvironment,
  stdio: () => P3Stdio,
  run: P3RunHost,
  capabilities: Record<string, Record<string, unknown>> = {},
): Record<string, Record<string, unknown>> {
  const p3 = p3Interfaces(environment, stdio, run);
  const imports: Record<string, Record<string, unknown>> = {};
  for (const [name, host] of Object.entries(p2)) imports[name in p3 ? `${name}@0.2.0` : name] = host;
  for (const [name, host] of Object.entries(p3)) {
    if (!SERVED_INTERFACES.has(name)) imports[name] = host;
    else for (const version of WASI_P3_VERSIONS) imports[`${name}@${version}`] = host;
  }
  return { ...imports, ...capabilities };
}

export type { P3Stdio };
