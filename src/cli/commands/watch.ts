import type { Command } from "commander";
import { parseListen } from "../listen-address.js";

/** `wisp watch`: build, serve, and rebuild + reload what changes, without restarting the server. */
export function registerWatch(program: Command): void {
  program
    .command("watch")
    .description("build and serve the app, then rebuild and reload components when their files change")
    .option("-f, --file <path>", "the manifest (spin.toml / wisp.toml) or the folder holding it", ".")
    .option("--listen <host:port>", "address to listen on", "127.0.0.1:3000")
    .option("--workers <n>", "worker threads running guests (default: one per core, at least 2)")
    .option("--no-inline", "run every request on a worker thread, never on the server's own (see BENCHMARKS.md)")
    .option(
      "--variable <NAME=VALUE>",
      "set an application variable (repeatable)",
      (v: string, p: string[]) => [...p, v],
      [] as string[],
    )
    .option("--runtime-config-file <path>", "where capabilities keep their data (Spin's runtime-config.toml format)")
    .action(
      async (options: {
        file: string;
        listen: string;
        workers?: string;
        inline: boolean;
        variable: string[];
        runtimeConfigFile?: string;
      }) => {
        const listen = parseListen(options.listen);
        const [{ buildApp }, { parseVariableFlags, planApp }, { serveApp }, { AppWatcher }, { loadAppManifest }] =
          await Promise.all([
            import("../../app/build-app.js"),
            import("../../app/plan-app.js"),
            import("../../app/serve-app.js"),
            import("../../app/watch-app.js"),
            import("../../app/load-app-manifest.js"),
          ]);
        const manifest = await loadAppManifest(options.file);
        await buildApp(manifest.dir, manifest.components.values());
        const sources = { cli: parseVariableFlags(options.variable), env: process.env };
        const app = await serveApp(await planApp(manifest, sources, options.runtimeConfigFile), {
          ...listen,
          workers: options.workers ? Number(options.workers) : undefined,
          inline: options.inline,
        });
        const log = (line: string) => process.stdout.write(line + "\n");
        const watcher = new AppWatcher(manifest, app, log, (next) => planApp(next, sources, options.runtimeConfigFile));
        log("Watching for changes (Ctrl-C to stop)");
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
        watcher.close();
        await app.close(10_000);
      },
    );
}
