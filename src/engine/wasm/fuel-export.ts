/**
 * The export under which a metered module's fuel counter is read and set (see meter-fuel). It has
 * a file of its own so that what runs a metered module does not load the rewriter and wasmparser.
 */
export const FUEL_EXPORT = "wisp:fuel";
