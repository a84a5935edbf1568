import type { HostCallHandlers } from "../engine/worker/protocol.js";
import type { ComponentKey, ComponentKeyValues, ManifestComponent } from "../manifest/index.js";
import type { RuntimeConfigSection } from "../runtime-config/section.js";
import type { AllowedHost } from "./outbound-networking/allowed-hosts.js";
import type { ResolvedVariables } from "./variables/resolve-variables.js";

/**
 * A capability: one folder under `src/capabilities/` that exports one object of this type,
 * listed on one line of `registry.ts` (README.md walks through adding one). Everything else
 * Wisp knows of capabilities (the interfaces a component may import, the grants in a plan, the
 * runtime config's sections, the host calls main serves) is derived from the registry.
 *
 * The lifecycle, after Spin's factors:
 * 1. main, at start: `runtimeConfig` reads its section of the runtime config file;
 * 2. main, at start, per component: `grant` checks the component's manifest keys against the
 *    runtime config and answers what the component is granted; `checkGrants` then checks what
 *    needs I/O (a store's file). A bad configuration stops the start here, naming the key;
 * 3. worker, per component: `guestImports` loads the module that builds the imports a guest
 *    instance gets from the grant (built once per component; `GuestInstance` points them at the
 *    request being served);
 * 4. main, while serving: `hostCalls` answer what those imports ask of main (shared sockets);
 * 5. main, at shutdown: `close`.
 *
 * The object must be cheap to load: main loads every capability's at start, so drivers and
 * what serves the interfaces are imported lazily (in `guestImports` and `hostCalls`).
 *
 * `Grant`: structured-cloneable (it is sent to workers); `undefined` when the capability grants
 * nothing of its own (Redis reads the component's `allowedOutboundHosts`).
 * `Config`: what its runtime config section reads (`undefined` without one).
 * `Keys`: its component manifest keys (see manifestKeys).
 */
export interface Capability<Grant = undefined, Config = undefined, Keys extends readonly ComponentKey[] = readonly []> {
  /** As errors and the README name it: "key-value". */
  readonly name: string;
  /**
   * The WIT interfaces it serves, as jco's glue names its imports (unversioned, or with `@version`
   * where a component may import versions that differ; see prepare-component), each with the
   * WIT package versions behind that name. `guestImports` builds one object for each.
   */
  readonly interfaces: Readonly<Record<string, string>>;
  /**
   * Interfaces of the component model's async ABI it serves, named as `interfaces` are: Spin 4's
   * (`"spin:key-value/key-value": "spin:key-value@3.0.0"`), whose functions are all `async func`,
   * some answering streams and futures. Served only to components translated into the async glue
   * (WASI 0.3 handlers), their host functions answering promises; `guestImports` builds one
   * object for each of these too.
   */
  readonly asyncInterfaces?: Readonly<Record<string, string>>;
  /**
   * WASI interfaces the engine serves already, denying everything (wasi:http/outgoing-handler),
   * which this capability serves in their place. Unlike `interfaces`, importing one does not keep
   * a component off the server's own thread: ungranted, it never waits on main.
   */
  readonly wasiInterfaces?: Readonly<Record<string, string>>;
  /**
   * The interfaces (of `interfaces` and `wasiInterfaces`, named as there) whose host, built for a
   * suspending instance (GuestInstance.suspends), waits without holding the thread, each with its
   * functions that may then answer a promise, named as jco names them (`[method]connection.get`;
   * none where the waiting is the guest's own poll, as outbound HTTP's future). A 0.2 component
   * whose every waiting import is here gets suspending glue (see SuspendingGlue) and runs beside
   * others on its worker.
   */
  readonly suspending?: Readonly<Record<string, readonly string[]>>;
  /**
   * The component manifest keys it owns (`key_value_stores`), each with its schema: the manifest
   * checks them as it loads (app/load-app-manifest.ts gives it every capability's), and `grant`
   * receives their values.
   */
  readonly manifestKeys: Keys;
  /** Its section of the runtime config file, if it has one. */
  readonly runtimeConfig?: RuntimeConfigSection<Config>;
  /**
   * Main, at start, once per component: what the component is granted, from its manifest entry
   * and the app's configuration; throws a WispError (code GRANT_INVALID) naming the manifest,
   * the component and the key when they do not fit. Absent: the capability grants nothing.
   */
  grant?(component: ManifestComponent, app: AppContext<Config>, keys: ComponentKeyValues<Keys>): Grant;
  /** What a component is granted without a manifest (`wisp up --from module.wasm`): nothing. */
  noGrant?(componentId: string): Grant;
  /**
   * Main, at start, after every component's grant: checks that need I/O, refusing the start with
   * a WispError that names the component and the key.
   */
  checkGrants?(
    grants: ReadonlyArray<readonly [componentId: string, grant: Grant]>,
    manifestFile: string,
  ): Promise<void>;
  /**
   * Worker: loads (lazily: main never does) what builds a component's imports from its grant,
   * one object per name of `interfaces`. Called once per component; the imports hold no
   * per-request state (they read `GuestInstance`).
   */
  guestImports(): Promise<GuestImportsBuilder<Grant>>;
  /**
   * Main: the host calls its imports make (`"redis.command"`), each answering on main with the
   * shared clients it opens on first use. Names are unique across the registry. Checked against
   * the capability's declared host calls: `{ ... } satisfies HostCallHandlersFor<RedisHostCalls>`.
   */
  readonly hostCalls?: HostCallHandlers;
  /** Main, at shutdown: closes what its host calls opened (their sockets keep the process alive). */
  close?(): Promise<void>;
}

/** Builds a component's imports for one capability, by interface name (see Capability.interfaces). */
export type GuestImportsBuilder<Grant> = (grant: Grant, instance: GuestInstance) => Record<string, object>;

/** What a capability's grant sees of the app at start (main thread). */
export interface AppContext<Config> {
  manifestFile: string;
  appDir: string;
  /** The app's variables, resolved at start (templates in the manifest use them). */
  variables?: ResolvedVariables;
  /** Its runtime config section's configuration. */
  config: Config;
}

/**
 * What every capability's imports see of the component instance they serve, on its worker.
 * `request` changes between requests while the imports are reused: read it at each call.
 */
export interface GuestInstance {
  /** The component's `allowed_outbound_hosts` (outbound networking's grant), which every outbound capability checks. */
  allowedOutboundHosts: readonly AllowedHost[];
  request: RequestContext;
  /**
   * Whether the instance's glue suspends while it waits (jco's JSPI mode, see SuspendingGlue):
   * then the functions it lists (SUSPENDING_IMPORTS) may answer promises, and the thread runs
   * other guests while main works.
   */
  suspends: boolean;
}

/** The request an instance serves. */
export interface RequestContext {
  /** `http://host:port` of the app itself, for `self` requests (no authority, or `self.alt`). */
  selfOrigin?: string;
  /** The component's log (its stderr): where a denial is explained. */
  log: (line: string) => void;
  /** Aborted when the request is let go of (a concurrent job's client left, or its deadline passed). */
  abandoned?: AbortSignal;
  /**
   * Registers what to do once the request's run has ended, however it ended (an upstream body it
   * left unread is let go of). Absent where imports outlive their requests (built once per component).
   */
  atEnd?: (cleanup: () => void) => void;
}
