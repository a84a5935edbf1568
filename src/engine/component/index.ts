export { prepareComponent, type KnownContent, type PreparedComponent, type PreparedCore } from "./prepare-component.js";
export { ComponentFactory, type ComponentInstance } from "./component-factory.js";
export { meterComponent } from "./meter-component.js";
export { cachedComponentWorld, readComponentWorld, type ComponentWorld } from "./component-world.js";
export { AsyncComponentFactory } from "./async-component-factory.js";
export { mergeServed, servedAt, serves, splitVersion, type ServedInterfaces } from "./served-interfaces.js";
export { componentizedAlready, componentizeModule } from "./componentize-module.js";
export type { GlueKind, SuspendingGlue } from "./transpile-component.js";
