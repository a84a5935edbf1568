import type { Command } from "commander";
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
    .option("--variable <NAME=VALUE>", "set an application variable (repeatable; wins over the environment and .env)", collect, [])
    .option("--runtime-config-file <path>", "where capabilities keep their data (Spin's runtime-config.toml format)")
    .option("--key-value <KEY=VALUE>", "set a key in the default key-value store before serving (repeatable)", collect, [])
    .option("--sqlite <STATEMENT|@FILE>", "run SQL (or a .sql file) on the default SQLite database before serving (repeatable)", collect, [])
    .action(async (options: UpOptions) => {
      const listen = parseListen(options.listen);
      // Loaded on demand: `up --from` needs no manifest (zod, smol-toml), and the server's modules load while the plan is made.
      const serving = import("../../app/serve-app.js");
      serving.catch(() => undefined);
      let plan;
      if (options.from) plan = await (await import("../../app/plan-from-module.js")).planFromModule(options.from, process.cwd());
      else {
        const [{ loadManifest }, { parseVariableFlags, planApp }] = await Promise.all([import("../../manifest/index.js"), import("../../app/plan-app.js")]);
        const manifest = await loadManifest(options.file);
        if (options.build) await (await import("../../app/build-app.js")).buildApp(manifest.dir, manifest.components.values());
        plan = await planApp(manifest, { cli: parseVariableFlags(options.variable), env: process.env }, options.runtimeConfigFile);
        const { runSqlOnDefaultDatabase, seedDefaultStore } = await import("../../app/seed-app.js");
        if (options.keyValue.length > 0) await seedDefaultStore(plan.appDir, options.runtimeConfigFile, options.keyValue);
        if (options.sqlite.length > 0) await runSqlOnDefaultDatabase(plan.appDir, options.runtimeConfigFile, options.sqlite);
      }
      const { serveApp } = await serving;
      const app = await serveApp(plan, { ...listen, workers: options.workers ? Number(options.workers) : undefined, inline: options.inline });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stdout.write(`\nReceived ${signal}: finishing in-flight requests (up to ${SHUTDOWN_GRACE_MS / 1000} s)\n`);
          process.once("SIGINT", () => process.exit(130));
          resolve();
        };
        process.once("SIGINT", () => stop("SIGINT"));
        process.once("SIGTERM", () => stop("SIGTERM"));
      });
      await app.close(SHUTDOWN_GRACE_MS);
    });
}
