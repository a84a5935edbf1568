/**
 * A component variable's value in the manifest: literal text with `{{ app_variable }}`
 * references, as in Spin (`token = "Bearer {{ api_token }}"`).
 */
export type TemplatePart = { text: string } | { variable: string };

/** Spin's variable names: lowercase letters, digits and underscores, starting with a letter. */
export const VARIABLE_NAME = /^[a-z][a-z0-9_]*$/;

export function parseTemplate(template: string): TemplatePart[] | { error: string } {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open === -1) {
      parts.push({ text: rest });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open) });
    const close = rest.indexOf("}}", open);
    if (close === -1) return { error: `"${template}" opens {{ without closing it` };
    const name = rest.slice(open + 2, close).trim();
    if (!VARIABLE_NAME.test(name))
      return { error: `"${name}" in "${template}" is not a variable name (lowercase letters, digits, _)` };
    parts.push({ variable: name });
    rest = rest.slice(close + 2);
  }
  return parts;
}

export function renderTemplate(parts: TemplatePart[], values: ReadonlyMap<string, string>): string {
  return parts.map((part) => ("text" in part ? part.text : values.get(part.variable)!)).join("");
}

/** A manifest value that may hold `{{ variable }}` references (allowed_outbound_hosts), rendered. */
export function renderWithVariables(template: string, values: ReadonlyMap<string, string>): string | { error: string } {
  const parts = parseTemplate(template);
  if ("error" in parts) return parts;
  for (const part of parts)
    if ("variable" in part && !values.has(part.variable)) return { error: `{{ ${part.variable} }} has no value` };
  return renderTemplate(parts, values);
}
