export { prepareComponent, type PreparedComponent, type PreparedCore } from "./prepare-component.js";
export { ComponentFactory, type ComponentInstance } from "./component-factory.js";
