import type { Command } from "commander";
import { WispError } from "../../errors/wisp-error.js";
import { startGuestThreadEarly } from "../../engine/worker/guest-thread.js";
import { binaryKind, readHead } from "../../engine/wasm/binary-reader.js";
import { parseListen } from "../listen-address.js";

/** How long in-flight requests may run on after SIGINT/SIGTERM before Wisp exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

interface UpOptions {
  file: string;
  from?: string;
  listen: string;
  build?: boolean;
  workers?: string;
  inline: boolean;
  variable: string[];
  runtimeConfigFile?: string;
  keyValue: string[];
  sqlite: string[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerUp(program: Command): void {
  program
    .command("up")
    .description("serve an app: every request runs in a fresh WebAssembly sandbox")
    .option("-f, --file <path>", "the manifest (spin.toml / wisp.toml) or the folder holding it", ".")
    .option("--from <wasm>", "serve one component or WASI module on /... (no manifest)")
    .option("--listen <host:port>", "address to listen on", "127.0.0.1:3000")
    .option("--build", "run `wisp build` first")
    .option("--workers <n>", "worker threads running guests (default: one per core, at least 2)")
    .option("--no-inline", "run every request on a worker thread, never on the server's own (see BENCHMARKS.md)")
    .option(
      "--variable <NAME=VALUE>",
      "set an application variable (repeatable; wins over the environment and .env)",
      collect,
      [],
    )
    .option("--runtime-config-file <path>", "where capabilities keep their data (Spin's runtime-config.toml format)")
    .option(
      "--key-value <KEY=VALUE>",
      "set a key in the default key-value store before serving (repeatable)",
      collect,
      [],
    )
    .option(
      "--sqlite <STATEMENT|@FILE>",
      "run SQL (or a .sql file) on the default SQLite database before serving (repeatable)",
      collect,
      [],
    )
    .action(async (options: UpOptions) => {
      const listen = parseListen(options.listen);
      // An app served from worker threads gets one booting as soon as that is known, while main
      // loads the server and plans the app (see startGuestThreadEarly); not an app whose guests
      // all run on main (WAGI), whose threads boot once it serves (see serveApp), nor one about
      // to be built for seconds.
      let serving;
      let plan;
      if (options.from) {
        refuseManifestOptions(options);
        if (await isComponent(options.from)) startGuestThreadEarly();
        serving = loadServer();
        plan = await (await import("../../app/plan-from-module.js")).planFromModule(options.from, process.cwd());
      } else {
        if (!options.build && (await (await import("../../app/routes-to-workers.js")).routesToWorkers(options.file)))
          startGuestThreadEarly();
        serving = loadServer();
        const manifest = await (await import("../../app/load-app-manifest.js")).loadAppManifest(options.file);
        const { parseVariableFlags, planApp } = await import("../../app/plan-app.js");
        if (options.build)
          await (await import("../../app/build-app.js")).buildApp(manifest.dir, manifest.components.values());
        plan = await planApp(
          manifest,
          { cli: parseVariableFlags(options.variable), env: process.env },
          options.runtimeConfigFile,
        );
        if (options.keyValue.length > 0 || options.sqlite.length > 0) {
          const { runSqlOnDefaultDatabase, seedDefaultStore } = await import("../../app/seed-app.js");
          if (options.keyValue.length > 0)
            await seedDefaultStore(plan.appDir, options.runtimeConfigFile, options.keyValue);
          if (options.sqlite.length > 0)
            await runSqlOnDefaultDatabase(plan.appDir, options.runtimeConfigFile, options.sqlite);
        }
      }
      const { serveApp } = await serving;
      const app = await serveApp(plan, {
        ...listen,
        workers: options.workers ? Number(options.workers) : undefined,
        inline: options.inline,
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(
            `\nReceived ${signal}: finishing in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s)\n`,
          );
          process.once("SIGINT", () => process.exit(130));
          resolve();
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      await app.close(SHUTDOWN_GRACE_MS);
    });
}

/**
 * `--from` serves one module with no manifest: nothing configures capabilities or builds, so the
 * options that would are refused rather than ignored.
 */
function refuseManifestOptions(options: UpOptions): void {
  const given = [
    ["--build", options.build === true],
    ["--variable", options.variable.length > 0],
    ["--runtime-config-file", options.runtimeConfigFile !== undefined],
    ["--key-value", options.keyValue.length > 0],
    ["--sqlite", options.sqlite.length > 0],
  ]
    .filter(([, present]) => present)
    .map(([name]) => name as string);
  if (given.length === 0) return;
  throw new WispError(
    "USAGE",
    `${given.join(", ")} ${given.length === 1 ? "applies" : "apply"} to an app with a manifest, and --from serves a module without one (granted no variables, stores or databases)`,
    `serve the app from its spin.toml (wisp up, or -f PATH) to use ${given.length === 1 ? "it" : "them"}, or drop ${given.join(", ")}`,
  );
}

/**
 * The server's modules, loading from now on while the plan is made. On demand: `up --from` needs
 * no manifest (zod, smol-toml), and for a manifest, whether a thread starts early is decided first.
 */
function loadServer(): Promise<typeof import("../../app/serve-app.js")> {
  const serving = import("../../app/serve-app.js");
  serving.catch(() => undefined); // awaited once the plan is made; a failed plan is the error to report
  return serving;
}

/** Whether `path` starts as a WebAssembly component; false for anything else, unreadable included (planFromModule reports that). */
async function isComponent(path: string): Promise<boolean> {
  return binaryKind(await readHead(path).catch(() => new Uint8Array(0))) === "component";
}
