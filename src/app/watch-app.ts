import { watch, type FSWatcher } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import picomatch from "picomatch";
import { isWispError } from "../errors/wisp-error.js";
import type { AppManifest } from "../manifest/index.js";
import { loadAppManifest } from "./load-app-manifest.js";
import { buildApp } from "./build-app.js";
import type { RunningApp } from "./serve-app.js";
import type { ServePlan } from "./serve-plan.js";

/** Quiet time after the last file event before rebuilding: editors write files in bursts. */
const DEBOUNCE_MS = 150;

/**
 * `wisp watch`'s loop over a running app: a change to a file a component's `build.watch` globs
 * name rebuilds that component and reloads the app; a change to the manifest reloads everything.
 * Reloads swap in new workers without restarting the server (see RunningApp.reload), and a
 * failed build or an invalid manifest is reported while the last good version keeps serving.
 * Only files matching `watch` globs are watched, never `.wisp/` or a component's output, so a
 * build cannot trigger itself.
 */
export class AppWatcher {
  private watchers: FSWatcher[] = [];
  private changed = new Set<string>();
  private manifestChanged = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private manifest: AppManifest,
    private readonly app: RunningApp,
    private readonly log: (line: string) => void,
    /** How a manifest becomes what is served (variables resolved anew on every reload). */
    private readonly plan: (manifest: AppManifest) => Promise<ServePlan>,
  ) {
    this.arm();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
  }

  /** Resolves once every change seen so far has been handled (for tests). */
  idle(): Promise<void> {
    return this.running;
  }

  private arm(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    // The manifest's folder, not the file: an editor that saves by renaming a new file over the
    // old one leaves a watch on the file itself with the old inode, deaf to the next saves.
    const manifestName = basename(this.manifest.file);
    this.watchers.push(
      watch(dirname(this.manifest.file), (_event, file) => {
        if (file?.toString() === manifestName) this.schedule(undefined);
      }),
    );
    for (const component of this.manifest.components.values()) {
      const globs = component.build?.watch;
      if (!globs || globs.length === 0) continue;
      const cwd = resolve(this.manifest.dir, component.build!.workdir ?? ".");
      const matches = picomatch(globs, { dot: false });
      const output = component.source.kind === "path" ? relative(cwd, component.source.path) : undefined;
      const watcher = watch(cwd, { recursive: true }, (_event, file) => {
        if (!file) return;
        const path = file.toString();
        if (path === output || path.startsWith(".wisp/") || path.includes("node_modules/")) return;
        if (matches(path)) this.schedule(component.id);
      });
      this.watchers.push(watcher);
    }
  }

  private schedule(componentId: string | undefined): void {
    if (this.closed) return;
    if (componentId) this.changed.add(componentId);
    else this.manifestChanged = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.running.then(() => this.round());
    }, DEBOUNCE_MS);
  }

  /** One rebuild-and-reload for everything that changed since the last round. */
  private async round(): Promise<void> {
    const changed = [...this.changed];
    const manifestChanged = this.manifestChanged;
    this.changed.clear();
    this.manifestChanged = false;
    if (changed.length === 0 && !manifestChanged) return;
    try {
      if (manifestChanged) {
        this.log("Manifest changed: reloading the app");
        this.manifest = await loadAppManifest(this.manifest.file);
        this.arm();
      } else {
        this.log(`Changed: ${changed.join(", ")}`);
      }
      // buildApp skips whatever is up to date, so after a manifest change this builds only what needs it.
      const components = manifestChanged
        ? [...this.manifest.components.values()]
        : changed.map((id) => this.manifest.components.get(id)!).filter(Boolean);
      await buildApp(this.manifest.dir, components, { log: this.log });
      await this.app.reload(await this.plan(this.manifest));
    } catch (error) {
      const message = isWispError(error) ? error.format() : `wisp: ${(error as Error).stack ?? String(error)}`;
      this.log(`${message}\nStill serving the last version that built; fix the problem and save again.`);
    }
  }
}
