import * as z from "zod/mini";
import "../../schema/zod-setup.js";
import { componentKey, type ComponentKeyValues } from "../../manifest/index.js";
import { idLike, variableNameProblem } from "../../manifest/ids.js";

/** `[component.ID.variables]`: the names a component reads, each a template over the app's `[variables]`. */
export const COMPONENT_VARIABLES = componentKey({
  name: "variables",
  schema: z.record(z.string(), z.string()),
  hint: 'write it as a table of templates, e.g. [component.ID.variables] api_url = "{{ api_base }}/v1"',
  check(variables) {
    for (const name of Object.keys(variables)) {
      const problem = variableNameProblem(name);
      if (problem)
        return {
          at: [name],
          what: `is not a valid variable name: ${problem}`,
          hint: `variable names are lowercase snake_case, e.g. "${idLike(name, "_")}"`,
        };
    }
    return undefined;
  },
});

export const VARIABLES_KEYS = [COMPONENT_VARIABLES] as const;

/** A component's templates, by name, as the manifest read them. */
export function componentVariables(component: {
  capabilityKeys: Readonly<Record<string, unknown>>;
}): Array<[string, string]> {
  return Object.entries((component.capabilityKeys as ComponentKeyValues<typeof VARIABLES_KEYS>).variables ?? {});
}
