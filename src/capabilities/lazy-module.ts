/** A module imported on first use (a driver), which knows whether it was: close only what was opened. */
export interface LazyModule<M> {
  (): Promise<M>;
  readonly used: boolean;
}

/**
 * Drivers load on first use: together they cost ~150 ms at start, which an app that never talks
 * to Redis or a database should not pay.
 */
export function lazyModule<M>(load: () => Promise<M>): LazyModule<M> {
  let used = false;
  const get = () => {
    used = true;
    return load();
  };
  return Object.defineProperty(get, "used", { get: () => used }) as LazyModule<M>;
}
