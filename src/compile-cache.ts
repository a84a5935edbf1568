import nodeModule from "node:module";

/**
 * Has Node keep the compiled code of the modules loaded from now on, on disk (Node >= 22.1:
 * `module.enableCompileCache`, in the system's temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
 * off), so the next start skips parsing them: the server's modules on main, the executors and a
 * component's glue (287 KB for the http-ts hello) on each worker thread, which shortens a cold
 * start (BENCHMARKS.md). Node 20 has no such cache: a no-op there.
 * Called first thing in each entry; what that entry imports statically is compiled already.
 */
export function enableCompileCache(): void {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
