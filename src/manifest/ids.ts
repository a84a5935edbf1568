/**
 * Spin's identifier rules. Component ids are kebab-case (`hello`, `api-v2`, `API-gateway`) and
 * variable names lower snake_case (`api_token`): words joined by one delimiter, each word starting
 * with an ASCII letter and then letters and digits, all lowercase or all UPPERCASE (variable names:
 * lowercase only). Each function returns what is wrong, or `undefined` when the id is valid.
 */
export function componentIdProblem(id: string): string | undefined {
  return idProblem(id, "-", false);
}

export function variableNameProblem(name: string): string | undefined {
  return idProblem(name, "_", true);
}

function idProblem(id: string, delimiter: "-" | "_", lowerOnly: boolean): string | undefined {
  if (id === "") return "it is empty";
  const wrong = delimiter === "-" ? "_" : "-";
  if (id.includes(wrong)) return `words must be separated with "${delimiter}", not "${wrong}"`;
  for (const word of id.split(delimiter)) {
    if (word === "") return `it has an empty word (a leading, trailing or doubled "${delimiter}")`;
    if (!/^[A-Za-z]/.test(word)) return `each word must start with a letter ("${word}" does not)`;
    if (!/^[A-Za-z0-9]+$/.test(word)) return `words may hold only letters and digits ("${word}" does not)`;
    const upper = /^[A-Z]/.test(word);
    if (upper ? /[a-z]/.test(word) : /[A-Z]/.test(word))
      return `each word must be all lowercase or all UPPERCASE ("${word}" is not)`;
    if (lowerOnly && upper) return `it must be all lowercase ("${word}" is not)`;
  }
  return undefined;
}

/** A valid id close to `id`, to offer in a hint: lowercase words joined by `delimiter`. */
export function idLike(id: string, delimiter: "-" | "_"): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^[a-z]/.test(w) ? w : `x${w}`));
  return words.join(delimiter) || (delimiter === "-" ? "my-component" : "my_variable");
}
