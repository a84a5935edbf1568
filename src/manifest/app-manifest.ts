import type { ComponentLimits } from "./component-limits.js";

/** A loaded, validated manifest with paths resolved against its folder. */
export interface AppManifest {
  file: string;
  dir: string;
  name: string;
  version?: string;
  description?: string;
  variables: Map<string, { default?: string; required: boolean; secret: boolean }>;
  components: Map<string, ManifestComponent>;
  /** The tables of each trigger type Wisp runs (see TriggerTable), by type; a type without tables has none. */
  triggers: ReadonlyMap<string, TriggerEntry[]>;
  /** Other trigger types (redis, cron...), which this version of Wisp does not run. */
  otherTriggers: string[];
}

export interface ManifestComponent {
  id: string;
  source: SourceRef;
  files: FileMount[];
  excludeFiles: string[];
  environment: Array<[string, string]>;
  /** The keys of its table that capabilities own (`key_value_stores`...), checked by their schemas (see ComponentKey). */
  capabilityKeys: Readonly<Record<string, unknown>>;
  build?: { command: string | string[]; workdir?: string; watch?: string[] };
  limits: ComponentLimits;
  /** Spin's component dependencies that are local: files (absolute paths) and other components of the app. */
  localDependencies: { paths: string[]; components: string[] };
}

/** Where a component's wasm comes from: a local file, or a URL whose sha256 the manifest pins. */
export type SourceRef = { kind: "path"; path: string } | { kind: "url"; url: string; digest: string };

/** One entry of a component's `files`: a glob relative to the app folder, or a `{ source, destination }` mapping. */
export type FileMount = { kind: "glob"; pattern: string } | { kind: "map"; source: string; destination: string };

/** One `[[trigger.<type>]]` table of a trigger Wisp runs (see TriggerTable). */
export interface TriggerEntry {
  /** The trigger's `id`, or the one Spin would generate (`<component>-<type>-trigger`, `<type>-trigger<N>`). */
  id: string;
  /** The component it runs (an inline component gets a generated id), if it names one. */
  componentId?: string;
  /** Its trigger's own keys, as their schemas (TriggerTable.keys) read them. */
  config: Readonly<Record<string, unknown>>;
}
