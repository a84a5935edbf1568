import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { distUrl } from "../../support/dist.js";
import { runWisp, WispProcess } from "../../support/wisp-process.js";

/*
 * What the template tests share. They are split into files by what they build (TypeScript and
 * JavaScript components, compiled WAGI modules, nothing), so that the builds run in parallel.
 */

/** From an empty folder to a built project, the way a user does it. */
export async function newBuild(template: string, name: string) {
  const parent = mkdtempSync(join(tmpdir(), `wisp-${template}-`));
  const created = await runWisp(["new", template, name, "--accept-defaults"], { cwd: parent });
  expect(created.code, created.stderr).toBe(0);
  const dir = join(parent, name);
  const built = await runWisp(["build"], { cwd: dir });
  expect(built.code, built.stdout + built.stderr).toBe(0);
  return { dir, built };
}

/** One response from the project in `dir`, served by `wisp up` for just that request. */
export async function served(dir: string, path: string, init?: RequestInit): Promise<Response> {
  const wisp = await WispProcess.up([], { cwd: dir });
  try {
    return await fetch(wisp.url + path, { redirect: "manual", ...init }).then(async (r) => new Response(await r.arrayBuffer(), r));
  } finally {
    await wisp.stop();
  }
}

/** Why the Rust template cannot be built on this machine, if it cannot. */
export async function noRustWasi(): Promise<string | undefined> {
  const { findRustWasiToolchain } = (await import(distUrl("toolchain/rust/cargo-build.js").href)) as typeof import("../../../src/toolchain/rust/cargo-build.js");
  return (await findRustWasiToolchain()) ? undefined : "no Rust toolchain with a WASI target (rustup target add wasm32-wasip1, or apt-get install rustc cargo libstd-rust-dev-wasm32)";
}
