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
  httpTriggers: HttpTriggerEntry[];
  /** Trigger types other than http (redis, cron...), which this version of Wisp does not run. */
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

export interface HttpTriggerEntry {
  /** The trigger's `id`, or the one Spin would generate (`<component>-http-trigger`, `http-trigger<N>`). */
  id: string;
  /** A path pattern (`/api/...`, `/users/:id`), or private: reachable by no URL. */
  route: string | { private: true };
  /** The component that serves it (an inline component gets a generated id), or none for a static response. */
  componentId?: string;
  staticResponse?: { status: number; headers: Array<[string, string]>; body: Uint8Array };
  /**
   * `executor = { type = ... }`: the `type` as its executor names itself (`"spin"` reads as `"http"`),
   * and its options, with their defaults (see executor-tables.ts).
   */
  executor: { type: string } & Record<string, string | undefined>;
}
