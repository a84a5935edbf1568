/**
 * jco 1.12's glue (the generator Wisp pins, see transpile-component.ts) writes the drop of an
 * imported resource that the host only ever hands the guest through an export's parameters (an
 * `incoming-request` of wasi:http 0.2.0-rc-2023-10-18, or of 0.2.0 from wit-component 0.202's
 * components) as a trap, "unreachable trampoline for resource", so every such request fails when
 * the guest drops it. Later jco writes what every other drop does: take the host's object out of
 * the capture table and dispose of it. This writes that into 1.12's glue, for each such drop whose
 * capture table the glue declares; anything else is left as jco wrote it.
 */
const UNREACHABLE_DROP =
  /const handleEntry = rscTableRemove\(handleTable(\d+), handle\);(\s*)if \(handleEntry\.own\) \{\s*throw new TypeError\('unreachable trampoline for resource \[ResourceIndex\(\d+\)\]'\)\s*\}/g;

export function withResourceDrops(glue: string): string {
  return glue.replace(UNREACHABLE_DROP, (found, table: string, indent: string) => {
    const capture = `captureTable${table}`;
    if (!new RegExp(`\\bconst ${capture}\\s*=\\s*new Map\\(\\)`).test(glue)) return found;
    return (
      `const handleEntry = rscTableRemove(handleTable${table}, handle);${indent}if (handleEntry.own) {` +
      `${indent}  const rsc = ${capture}.get(handleEntry.rep);` +
      `${indent}  if (rsc) {` +
      `${indent}    if (rsc[symbolDispose]) rsc[symbolDispose]();` +
      `${indent}    ${capture}.delete(handleEntry.rep);` +
      `${indent}  }` +
      `${indent}}`
    );
  });
}
