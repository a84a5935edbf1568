export { prepareComponent, type KnownContent, type PreparedComponent, type PreparedCore } from "./prepare-component.js";
export { ComponentFactory, type ComponentInstance } from "./component-factory.js";
export { meterComponent } from "./meter-component.js";
