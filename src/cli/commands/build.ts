import type { Command } from "commander";

/** `wisp build [-f PATH]`: runs every component's build command. */
export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("run each component's build command from the manifest")
    .option("-f, --file <path>", "the manifest (spin.toml / wisp.toml) or the folder holding it", ".")
    .action(async (options: { file: string }) => {
      const [{ buildApp }, { loadManifest }] = await Promise.all([
        import("../../app/build-app.js"),
        import("../../manifest/index.js"),
      ]);
      const manifest = await loadManifest(options.file);
      await buildApp(manifest.dir, manifest.components.values());
    });
}
