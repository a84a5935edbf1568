/**
 * What a host must hand jco's glue for one imported interface, from the declarations generated
 * from its WIT (src/generated/, `typeof import(...)` of an interface's file). Used as
 * `return { Store } satisfies HostImplementation<typeof KeyValue>`: a function or resource method
 * that is missing, misspelled or has the wrong parameters or result fails the typecheck.
 *
 * Two differences from the generated declarations, both as the glue behaves at run time:
 * - A resource is a host class whose constructor the glue never calls (only the host makes
 *   instances; the glue keeps and hands back the host's own objects), so its constructor is not
 *   compared: only its static functions and its instances' methods.
 * - Parameters are compared both ways (as TypeScript compares methods): a resource passed back in
 *   (`increment(bucket, ...)`) is the host's own class at run time, which has private state the
 *   generated class lacks, so a host function may name its own class there.
 * A function whose WIT result is `result<T, E>` returns T and throws E: the thrown value is not
 * typed here (type it where it is thrown, with the interface's generated `Error`).
 */
export type HostImplementation<Generated> = {
  [Name in keyof Generated]: Generated[Name] extends (...args: never) => unknown
    ? Bivariant<Generated[Name]>
    : ResourceClass<Generated[Name]>;
};

/** A generated resource class without its construct signature: its statics and its prototype. */
type ResourceClass<Class> = {
  [Name in keyof Class]: Class[Name] extends (...args: never) => unknown ? Bivariant<Class[Name]> : Class[Name];
};

/** A function type whose parameters compare both ways, as a method's do. */
type Bivariant<Function> = Function extends (...args: infer Args) => infer Result
  ? { method(...args: Args): Result }["method"]
  : never;

/**
 * The imports object of a generated world (its `ImportObject`) as Wisp hands it to the glue:
 * keyed by interface name without version (see prepare-component), each a HostImplementation.
 */
export type UnversionedImports<ImportObject> = {
  [
    Name in keyof ImportObject as Name extends `${infer Unversioned}@${string}` ? Unversioned : Name
  ]: HostImplementation<ImportObject[Name]>;
};
