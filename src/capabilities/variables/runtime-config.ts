import * as z from "zod/mini";
import type { RuntimeConfigSection } from "../../runtime-config/section.js";
import "../../schema/zod-setup.js";

/** Where the app's variables may come from besides the command line and the environment, asked in order. */
export type VariablesProvider =
  { type: "static"; values: Map<string, string> } | { type: "env"; prefix: string; dotenvPath?: string };

const variablesProviderSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("static"), values: z.record(z.string(), z.string()) }),
  z.strictObject({ type: z.literal("env"), prefix: z.optional(z.string()), dotenv_path: z.optional(z.string()) }),
]);
type ProviderEntry = z.infer<typeof variablesProviderSchema>;

/** `[[variables_provider]]` (or Spin's older `[[config_provider]]`): static values, or an environment prefix with its own .env. */
export const variablesProviderSection: RuntimeConfigSection<VariablesProvider[]> = {
  keys: { variables_provider: z.array(variablesProviderSchema), config_provider: z.array(variablesProviderSchema) },
  describe: '[[variables_provider]] (type = "static" with values, or type = "env" with prefix and dotenv_path)',
  defaults: () => [],
  read(values, context, defaults) {
    const entries = [
      ...((values.variables_provider ?? []) as ProviderEntry[]),
      ...((values.config_provider ?? []) as ProviderEntry[]),
    ];
    return Promise.resolve([
      ...defaults,
      ...entries.map((provider): VariablesProvider =>
        provider.type === "static"
          ? { type: "static", values: new Map(Object.entries(provider.values)) }
          : {
              type: "env",
              prefix: provider.prefix ?? "SPIN_VARIABLE",
              dotenvPath: provider.dotenv_path ? context.resolve(provider.dotenv_path) : undefined,
            },
      ),
    ]);
  },
};
