import type { Command } from "commander";

/** `wisp build [-f PATH]`: runs every component's build command. */
export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("run each component's build command from the manifest")
    .option("-f, --file <path>", "the manifest (spin.toml / wisp.toml) or the folder holding it", ".")
    .action(async (options: { file: string }) => {
      const [{ buildApp }, { loadAppManifest }] = await Promise.all([
        import("../../app/build-app.js"),
        import("../../app/load-app-manifest.js"),
      ]);
      const manifest = await loadAppManifest(options.file);
      await buildApp(manifest.dir, manifest.components.values());
    });
}
