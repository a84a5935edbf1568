import { join } from "node:path";
import {
  cachedComponentWorld,
  componentizedAlready,
  componentizeModule,
  prepareComponent,
  serves,
  type ServedInterfaces,
  type ComponentWorld,
  type KnownContent,
} from "../../../../engine/component/index.js";
import { INCOMING_HANDLER_VERSIONS, RELEASE_GLUE_NAMES } from "../../../../engine/wasi-p2/index.js";
import { carriesComponentType, spin1HandlerAbi, moduleOutline } from "../../../../engine/wasm/module-outline.js";
import { binaryKind } from "../../../../engine/wasm/binary-reader.js";
import { WispError } from "../../../../errors/wisp-error.js";
import type { GuestToPrepare, PrepareGuest } from "../../../guest-executor.js";
import { loadInlineWasiHttp } from "./wasi-http-inline.js";
import type { WasiHttpConfig } from "./wasi-http-config.js";
import type { WasiHttpSpec } from "./wasi-http-program.js";

import { moduleRefusal } from "./module-refusal.js";
import { prepareSpin1 } from "./spin1/spin1-prepare.js";
import { INBOUND_HTTP, INCOMING_HANDLER, WASI_HTTP_SERVED } from "./served-interfaces.js";
import { UNVERSIONED_SPIN_ALIASES } from "./spin1/unversioned-spin.js";
import { exportsP3Handler, prepareP3 } from "./p3/p3-prepare.js";
import { suspendingGlue } from "./suspending-glue.js";

const HANDLER_VERSIONS: ServedInterfaces = new Map([[INCOMING_HANDLER, INCOMING_HANDLER_VERSIONS]]);

/** wasi:http's preparation: the component translated and checked against what Wisp serves, and its inline form. */
export const prepareWasiHttp: PrepareGuest<WasiHttpConfig> = async (guest, _configs, context) => {
  const isModule = binaryKind(guest.source.head) === "module";
  // Spin's HTTP ABIs from before components: the module's own export called per request (spin1/).
  // Checked first: Spin 1.4's modules carry a component type too, of a world only this path serves.
  if (isModule) {
    const bytes = await guest.source.read();
    const abi = spin1HandlerAbi(moduleOutline(bytes));
    if (abi) return { spec: await prepareSpin1(guest, bytes, abi) };
  }
  const source = isModule ? await asComponent(guest, context.cacheDir) : guest.source;
  // wasi:http 0.3 (Spin 4): the async ABI's glue and WASI 0.3's host (p3/). A world that cannot
  // be read is left to prepareComponent, which says what is wrong with the component.
  const world = await cachedComponentWorld(source, join(context.cacheDir, "worlds")).catch(() => undefined);
  if (world && exportsP3Handler(world))
    return { spec: await prepareP3(guest, source, context.cacheDir, context.onGlue, world), concurrent: true };
  // A component that waits on main gets glue that suspends while it waits (see suspendingGlue);
  // WISP_BLOCKING_WAITS=1 keeps the blocking design, which the benchmarks compare it with.
  const suspending = world && process.env.WISP_BLOCKING_WAITS !== "1" ? suspendingGlue(world, guest.grants) : undefined;
  const prepared = await prepareComponent(source, join(context.cacheDir, "components"), WASI_HTTP_SERVED, {
    onGlue: context.onGlue,
    glueNames: RELEASE_GLUE_NAMES,
    glueAliases: UNVERSIONED_SPIN_ALIASES,
    ...(suspending ? { glue: "suspending" as const, suspending } : {}),
  })
    .then((component) => {
      checkHandler(component.world);
      return component;
    })
    .catch((error: unknown) => {
      if (error instanceof WispError)
        throw new WispError(error.code, `component ${guest.id} (${guest.file}): ${error.message}`, error.hint);
      throw error;
    });
  const spec: WasiHttpSpec = {
    prepared,
    maxMemoryBytes: guest.maxMemoryBytes,
    filesRoot: guest.filesRoot,
    environment: guest.environment,
    grants: guest.grants,
  };
  // Its runs overlap on a worker; it waits on main, so it never runs on the server's own thread.
  if (suspending) return { spec, concurrent: true, glueFile: prepared.glueFile };
  return { spec, inline: context.inline ? await loadInlineWasiHttp(spec) : undefined, glueFile: prepared.glueFile };
};

/** A component the executor can call exports wasi:http's incoming-handler 0.2; say what one that does not is. */
function checkHandler(world: ComponentWorld): void {
  if (world.exports.some((name) => serves(HANDLER_VERSIONS, name) || name === INBOUND_HTTP)) return;
  const exported = world.exports.length > 0 ? `exports ${world.exports.join(", ")}` : "exports nothing";
  const hint = world.exports.some((name) => name.startsWith("fermyon:spin/inbound-http@"))
    ? "it exports a versioned fermyon:spin/inbound-http, which Spin never defined: Spin 1.4's is unversioned; rebuild it with a Spin 2 or 3 SDK"
    : world.exports.some((name) => name.startsWith("wasi:cli/run@"))
      ? "it is a command (wasi:cli/run), not an HTTP handler: build it to export wasi:http/incoming-handler@0.2.x"
      : "build it to export wasi:http/incoming-handler@0.2.x (Spin 2 and 3's SDKs, componentize-js and cargo-component do) or wasi:http/handler@0.3.x (Spin 4's SDKs)";
  throw new WispError(
    "COMPONENT_LINK",
    `it ${exported}, and neither ${INCOMING_HANDLER}@0.2.x nor wasi:http/handler@0.3.x, which a wasi:http route calls`,
    hint,
  );
}

/**
 * A core module as the component Spin would make of it at load: one that carries a component type
 * (Spin's SDKs build these for wasm32-wasip1) is made one with the WASI preview1 adapter, once per
 * content; any other is refused, saying what it is (see moduleRefusal).
 */
async function asComponent(guest: GuestToPrepare, cacheDir: string): Promise<KnownContent> {
  const componentized = join(cacheDir, "componentized");
  if (!(await componentizedAlready(guest.source, componentized))) {
    const bytes = await guest.source.read();
    if (!carriesComponentType(moduleOutline(bytes))) throw moduleRefusal(guest.id, guest.file);
  }
  return componentizeModule(guest.source, componentized).catch((error: unknown) => {
    if (error instanceof WispError)
      throw new WispError(error.code, `component ${guest.id} (${guest.file}): ${error.message}`, error.hint);
    throw error;
  });
}
