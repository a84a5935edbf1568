import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { noGrants } from "../capabilities/grants.js";
import { WispError } from "../errors/wisp-error.js";
import { binaryKind, readHead } from "../engine/wasm/binary-reader.js";
import { carriesComponentType, spin1HandlerAbi, moduleOutline } from "../engine/wasm/module-outline.js";
import { fileKind } from "./component-source.js";
import { DEFAULT_LIMITS } from "../manifest/component-limits.js";
import { executorForBinary, type ExecutorRoute } from "../triggers/http/executors/registry.js";
import type { ServePlan } from "./serve-plan.js";

/**
 * `wisp up --from module.wasm`: one component on `/...`, its logs and cache in `./.wisp`, served by
 * the executor for its kind of binary (a component, a module that carries a component type or one
 * of Spin's first HTTP ABI: wasi:http; a WASI preview1 module: WAGI). Nothing else is granted.
 */
export async function planFromModule(file: string, cwd: string): Promise<ServePlan> {
  const path = resolve(cwd, file);
  let head: Uint8Array;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) {
      throw new WispError(
        "COMPONENT_SOURCE_MISSING",
        `--from ${path} is ${fileKind(stats)}, not a file`,
        "give --from a .wasm file",
      );
    }
    head = await readHead(path);
  } catch (error) {
    if (error instanceof WispError) throw error;
    throw new WispError(
      "COMPONENT_SOURCE_MISSING",
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      "check the path given to --from",
    );
  }
  const kind = binaryKind(head);
  if (kind === "unknown") {
    throw new WispError(
      "COMPONENT_INVALID_WASM",
      `${path} is not a WebAssembly module or component`,
      "give --from a .wasm file",
    );
  }
  const id = componentIdFromFile(path);
  // A module that carries a component type is a component to be (see the wasi:http executor's
  // asComponent); one of Spin's first HTTP ABI runs there too (its spin1/).
  const outline = kind === "module" ? moduleOutline(await readFile(path)) : undefined;
  const executor = executorForBinary(
    outline && (carriesComponentType(outline) || spin1HandlerAbi(outline) !== undefined) ? "component" : kind,
  );
  return {
    appName: id,
    appDir: resolve(cwd),
    components: [
      {
        id,
        source: { kind: "path", path },
        files: [],
        excludeFiles: [],
        environment: [],
        secrets: [],
        grants: noGrants(id),
        limits: { ...DEFAULT_LIMITS },
      },
    ],
    triggers: {
      http: {
        routes: [
          {
            route: "/...",
            kind: "component",
            componentId: id,
            executor: { kind: executor.kind, config: executor.defaultConfig } as ExecutorRoute,
          },
        ],
      },
    },
  };
}

/** A Spin-valid component id from a file name: lowercase words joined by dashes. */
function componentIdFromFile(path: string): string {
  const words = basename(path)
    .replace(/\.wasm$/, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const id = words.join("-");
  return /^[a-z]/.test(id) ? id : `component-${id || "main"}`;
}
