import type { ComponentGrants } from "../../../../capabilities/index.js";
import { CAPABILITY_INTERFACES, SUSPENDING_INTERFACES } from "../../../../capabilities/index.js";
import { splitVersion, type ComponentWorld, type SuspendingGlue } from "../../../../engine/component/index.js";
import { SUSPENDING_WASI_IMPORTS } from "../../../../engine/wasi-p2/index.js";
import { UNVERSIONED_SPIN_INTERFACES } from "./spin1/unversioned-spin.js";
import { INCOMING_HANDLER } from "./served-interfaces.js";

const OUTGOING_HANDLER = "wasi:http/outgoing-handler";
const SOCKETS = "wasi:sockets/";

/**
 * The glue a wasi:http 0.2 component gets so that its waits on main (an outbound request, a
 * database, Redis) or on its own sockets hold no thread: its handler suspends on JSPI while it waits, and its worker runs
 * other requests meanwhile (the executor then runs it concurrently). Only for a component that
 * waits on main at all: one that does not (SQLite's and the variables' calls are the worker's own)
 * keeps the synchronous glue, whose cores are reused, and may run on the server's own thread. And
 * only when every import it waits in can suspend (see Capability.suspending): one that would still
 * block the thread would hold up every request beside it. Spin 1.4's unversioned interfaces wait
 * synchronously, so a component importing them keeps the synchronous glue. (The 2023-10-18
 * release candidate's poll, clock and streams are the 0.2 host's, and suspend as theirs do.)
 */
export function suspendingGlue(world: ComponentWorld, grants: ComponentGrants): SuspendingGlue | undefined {
  const names = world.imports.map((name) => splitVersion(name));
  const unversionedSpin = new Set(UNVERSIONED_SPIN_INTERFACES);
  if (names.some(({ name, version }) => version === "" && unversionedSpin.has(name))) return undefined;
  const functions: string[] = [];
  let waits = false;
  for (const { name } of names) {
    // A socket waits on the network itself (see P2Network): its pollables settle, its streams wait.
    if (name === OUTGOING_HANDLER || name.startsWith(SOCKETS)) waits ||= grants.allowedOutboundHosts.length > 0;
    if (!CAPABILITY_NAMES.has(name)) continue;
    const suspends = SUSPENDING_INTERFACES.get(name);
    // One that would wait holding the thread (a capability that declares no suspending host) keeps the synchronous glue.
    if (!suspends) return undefined;
    // One whose calls never wait on main (SQLite's, the variables') needs nothing.
    waits ||= suspends.length > 0;
    functions.push(...suspends);
  }
  if (!waits) return undefined;
  return {
    imports: [...new Set([...SUSPENDING_WASI_IMPORTS, ...functions])],
    exports: [`${INCOMING_HANDLER}#handle`],
  };
}

/** The capabilities' interfaces, without versions. */
const CAPABILITY_NAMES: ReadonlySet<string> = new Set(
  [...CAPABILITY_INTERFACES].map((name) => splitVersion(name).name),
);

/**
 * The synchronous calls of a wasi:http 0.3 component that suspend it while they wait, as a 0.2
 * guest's do: Spin 3's interfaces (which Spin 4's SDKs may import beside Spin 4's: Rust's SDK 6
 * imports `fermyon:spin/mysql@2.0.0`) and WASI 0.2's waits (Rust's standard library for 0.3
 * sleeps through 0.2's clocks); undefined when it imports none. In its runs beside others on a
 * worker, one call that blocked would hold them all up.
 */
export function p3SuspendingCalls(world: ComponentWorld): SuspendingGlue | undefined {
  const imported = new Set(world.imports.map((name) => splitVersion(name).name));
  const functions = [
    ...SUSPENDING_WASI_IMPORTS.filter((name) => imported.has(name.slice(0, name.indexOf("#")))),
    ...[...imported].flatMap((name) => (CAPABILITY_NAMES.has(name) ? (SUSPENDING_INTERFACES.get(name) ?? []) : [])),
  ];
  return functions.length > 0 ? { imports: [...new Set(functions)], exports: [] } : undefined;
}
