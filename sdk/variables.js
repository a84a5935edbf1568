// @wisp/sdk/variables: the variables the manifest grants this component.
import { get } from "fermyon:spin/variables@2.0.0";

export const variables = {
  get: (name) => get(name),
};
