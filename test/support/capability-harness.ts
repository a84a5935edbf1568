import { APP_MANIFEST_EXTENSIONS } from "../../src/app/load-app-manifest.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GuestInstance } from "../../src/capabilities/capability.js";
import { grantComponent, type ComponentGrants } from "../../src/capabilities/grants.js";
import { CAPABILITIES, type CapabilityName } from "../../src/capabilities/registry.js";
import { defaultCapabilityConfig, loadCapabilityConfig } from "../../src/capabilities/runtime-config.js";
import { resolveVariables } from "../../src/capabilities/variables/index.js";
import { parseManifest } from "../../src/manifest/index.js";

export interface HarnessOptions {
  /** TOML before the component: `[variables]` and the like. */
  app?: string;
  /** A runtime config file's text (`[key_value_store.cache]`...). */
  runtimeConfig?: string;
  /** `--variable NAME=VALUE`. */
  variables?: Record<string, string>;
}

/** A component's capabilities as a worker would build them, with nothing compiled and no wasm. */
export interface CapabilityHarness {
  /** The app's folder (a fresh temporary one): default stores live in its `.wisp/`. */
  dir: string;
  grants: ComponentGrants;
  /** What the capability's imports wrote to the component's log. */
  log: string[];
  /** The imports one capability builds for an instance of the component, by interface name. */
  imports(name: CapabilityName): Promise<Record<string, unknown>>;
  /** Removes the app's folder. */
  close(): void;
}

/**
 * Grants one component, `[component.c]` with the TOML `component` adds, as `wisp up` would at
 * start (the manifest checked, variables resolved, the runtime config read, every capability's
 * grant), and builds the per-instance imports of any capability from that grant, as a worker does.
 * Errors are the ones a start would stop with.
 */
export async function capabilityHarness(component: string, options: HarnessOptions = {}): Promise<CapabilityHarness> {
  const dir = mkdtempSync(join(tmpdir(), "wisp-capability-"));
  try {
    const manifest = parseManifest(
      `spin_manifest_version = 2\n[application]\nname = "harness"\n${options.app ?? ""}\n` +
        `[[trigger.http]]\nroute = "/..."\ncomponent = "c"\n[component.c]\nsource = "c.wasm"\n${component}\n`,
      join(dir, "spin.toml"),
      APP_MANIFEST_EXTENSIONS,
    );
    let runtimeConfigFile: string | undefined;
    if (options.runtimeConfig !== undefined) {
      runtimeConfigFile = join(dir, "runtime-config.toml");
      writeFileSync(runtimeConfigFile, options.runtimeConfig);
    }
    const config = runtimeConfigFile
      ? await loadCapabilityConfig(runtimeConfigFile, dir)
      : defaultCapabilityConfig(dir);
    const variables = await resolveVariables(manifest, {
      cli: new Map(Object.entries(options.variables ?? {})),
      env: {},
      providers: config.variables,
    });
    const grants = grantComponent(manifest.components.get("c")!, {
      manifestFile: manifest.file,
      appDir: dir,
      variables,
      config,
    });
    const log: string[] = [];
    const instance: GuestInstance = {
      allowedOutboundHosts: grants.allowedOutboundHosts,
      request: { selfOrigin: "http://127.0.0.1:3000", log: (line) => log.push(line) },
      suspends: false,
    };
    return {
      dir,
      grants,
      log,
      async imports(name) {
        const build = await CAPABILITIES[name].guestImports();
        return build((grants as Record<string, unknown>)[name] as never, instance);
      },
      close: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
