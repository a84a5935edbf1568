// The layering of src/, checked by `npm run lint:deps` (dependency-cruiser) in `npm test` and CI.
// ARCHITECTURE.md explains each layer; this file is what holds them.
//
// Data flows top to bottom: a module imports from its own part, from a part below its level, or
// along an edge named in its level's `within`. Anything else is a violation, and so is an import
// loop anywhere. A new folder under src/ goes into LEVELS: until it does, "in-a-level" fails.

/** A part of src/: a folder, or a few top-level files. */
const part = (name, path) => ({ name, path });

/** From the top (nothing imports it) to the bottom (imports nothing of Wisp). */
const LEVELS = [
  { name: "cli", parts: [part("cli", "^src/cli/"), part("bundle entries", "^src/bundle-entries[.]ts$")] },
  {
    name: "commands' libraries",
    parts: [part("app", "^src/app/"), part("templates", "^src/templates/"), part("toolchain", "^src/toolchain/")],
    // A template is checked as the app it makes: by app/'s manifest loader.
    within: [["templates", "app"]],
  },
  {
    name: "triggers",
    parts: [
      // The list of triggers, above them all.
      part("triggers' registry", "^src/triggers/registry[.]ts$"),
      part("triggers/http", "^src/triggers/http/"),
      part("triggers/command", "^src/triggers/command/"),
      // What every trigger shares (the other files of src/triggers/): one trigger never imports another.
      part("triggers' shared files", "^src/triggers/(?!registry[.]ts$)[^/]+$"),
    ],
    within: [
      ["triggers' registry", "triggers/http"],
      ["triggers' registry", "triggers/command"],
      ["triggers' registry", "triggers' shared files"],
      ["triggers/http", "triggers' shared files"],
      ["triggers/command", "triggers' shared files"],
    ],
  },
  {
    name: "capabilities",
    parts: [part("capabilities", "^src/capabilities/"), part("runtime-config", "^src/runtime-config/")],
    // Each capability owns its runtime-config section: runtime-config/ reads the file and knows no capability.
    within: [["capabilities", "runtime-config"]],
  },
  {
    // Runners (where a job runs: inline on the main thread, or on a worker) and guest hosts (what
    // a guest imports: WASI preview1 and 0.2, component glue, instance reuse). A runner knows no
    // WASI and no component model; a guest host knows nothing of where it runs.
    name: "engine",
    parts: [
      part("engine/inline", "^src/engine/inline/"),
      part("engine/worker", "^src/engine/worker/"),
      part("engine/component", "^src/engine/component/"),
      part("engine/instance", "^src/engine/instance/"),
      part("engine/wasi-p3", "^src/engine/wasi-p3/"),
      part("engine/wasi-p2", "^src/engine/wasi-p2/"),
      part("engine/wasi-p1", "^src/engine/wasi-p1/"),
    ],
    within: [
      ["engine/inline", "engine/worker"],
      ["engine/component", "engine/instance"],
      ["engine/wasi-p3", "engine/wasi-p2"],
      ["engine/wasi-p3", "engine/component"],
      ["engine/wasi-p3", "engine/wasi-p1"],
      ["engine/wasi-p2", "engine/wasi-p1"],
      // The shape jco's glue expects of a host (component/host-implementation.ts), a type only.
      ["engine/wasi-p2", "engine/component"],
    ],
  },
  {
    name: "engine base",
    // engine/network: where a guest's sockets may go (the grant and address shapes WASI 0.2 and 0.3 share).
    parts: [
      part("engine/memory", "^src/engine/memory/"),
      part("engine/wasm", "^src/engine/wasm/"),
      part("engine/network", "^src/engine/network/"),
    ],
    within: [["engine/memory", "engine/wasm"]],
  },
  {
    // engine/io is the stream contracts every guest-facing byte goes through; a component's log is one.
    name: "models and streams",
    parts: [
      part("manifest", "^src/manifest/"),
      part("observability", "^src/observability/"),
      part("engine/io", "^src/engine/io/"),
    ],
    within: [["observability", "engine/io"]],
  },
  {
    name: "foundations",
    parts: [
      part("errors", "^src/errors/"),
      part("schema", "^src/schema/"),
      part("package files", "^src/(?:code-location|compile-cache)[.]ts$"),
      // Types generated from wit/ (npm run wit:types), never edited by hand.
      part("generated", "^src/generated/"),
    ],
  },
];

const anyOf = (paths) => paths.map((path) => `(?:${path})`).join("|");

/** One rule per level: none of its parts imports a part of a level above it. */
function upwardRules() {
  return LEVELS.slice(1).map((level, index) => ({
    name: `upward-from-${slug(level.name)}`,
    comment:
      `${level.parts.map((p) => p.name).join(", ")} must not import from the levels above: ` +
      `${LEVELS.slice(0, index + 1)
        .map((l) => l.name)
        .join(", ")}. Move the shared piece down instead.`,
    severity: "error",
    from: { path: anyOf(level.parts.map((p) => p.path)) },
    to: { path: anyOf(LEVELS.slice(0, index + 1).flatMap((l) => l.parts.map((p) => p.path))) },
  }));
}

/** One rule per part: it imports no other part of its own level, except along the level's `within` edges. */
function siblingRules() {
  return LEVELS.flatMap((level) =>
    level.parts.flatMap((from) => {
      const allowed = new Set((level.within ?? []).filter(([a]) => a === from.name).map(([, b]) => b));
      const forbidden = level.parts.filter((to) => to !== from && !allowed.has(to.name));
      if (forbidden.length === 0) return [];
      return [
        {
          name: `sibling-${slug(from.name)}`,
          comment: `${from.name} must not import ${forbidden.map((p) => p.name).join(", ")} (same level: ${level.name}).`,
          severity: "error",
          from: { path: from.path },
          to: { path: anyOf(forbidden.map((p) => p.path)) },
        },
      ];
    }),
  );
}

function slug(name) {
  return name
    .replace(/[^a-z0-9]+/gi, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upwardRules(),
    ...siblingRules(),
    {
      name: "in-a-level",
      comment: "Every module of src/ belongs to a part of LEVELS in .dependency-cruiser.cjs: add its folder there.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/", pathNot: anyOf(LEVELS.flatMap((l) => l.parts.map((p) => p.path))) },
    },
    {
      name: "no-circular",
      comment: "An import loop: split out the piece both sides need, or move it down.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to no file.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only Wisp's own modules: what node_modules does is not ours to check.
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports count: a type is as much a dependency as a value.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
