import { execFile, spawn } from "node:child_process";
import { access, copyFile, mkdir, readFile } from "node:fs/promises";
import { delimiter, dirname, join, resolve } from "node:path";
import { parse } from "smol-toml";
import { WispError } from "../../errors/wisp-error.js";

/** Rust's WASI preview1 target under its current name, then its name before Rust 1.78. */
const WASI_TARGETS = ["wasm32-wasip1", "wasm32-wasi"];

export interface RustWasiToolchain {
  rustc: string;
  cargo: string;
  target: string;
}

const INSTALL_HINT =
  "install Rust with its WASI target: rustup target add wasm32-wasip1 (or, on Debian: apt-get install rustc cargo libstd-rust-dev-wasm32)";

/**
 * Finds a Rust toolchain that can build WASI preview1 modules: the first `rustc` on PATH whose
 * sysroot holds a WASI target's standard library (a rustup toolchain with the target added, or
 * Debian's rustc with libstd-rust-dev-wasm32), with the cargo beside it. Hides the target's
 * rename (wasm32-wasi became wasm32-wasip1) and a rustup proxy that shadows a distribution's Rust.
 */
export async function findRustWasiToolchain(path = process.env.PATH ?? ""): Promise<RustWasiToolchain | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const rustc = join(dir, "rustc");
    if (!(await executable(rustc))) continue;
    const sysroot = await output(rustc, ["--print", "sysroot"]);
    if (!sysroot) continue;
    for (const target of WASI_TARGETS) {
      if (!(await exists(join(sysroot, "lib", "rustlib", target)))) continue;
      const cargo = join(dir, "cargo");
      return { rustc, cargo: (await executable(cargo)) ? cargo : "cargo", target };
    }
  }
  return undefined;
}

/**
 * `wisp cargo-build -o out.wasm`: builds the crate in `cwd` for WASI preview1 (release) and
 * copies the module to `out`, whatever the toolchain calls the target.
 */
export async function cargoBuild(cwd: string, out: string): Promise<void> {
  const toolchain = await findRustWasiToolchain();
  if (!toolchain)
    throw new WispError("TOOL_MISSING", "no Rust toolchain with a WASI target was found on PATH", INSTALL_HINT);
  const manifest = parse(await readFile(join(cwd, "Cargo.toml"), "utf8")) as { package?: { name?: string } };
  const crate = manifest.package?.name;
  if (!crate)
    throw new WispError(
      "BUILD_FAILED",
      `${join(cwd, "Cargo.toml")} has no [package] name`,
      "name the package in Cargo.toml",
    );
  const code = await new Promise<number>((done) => {
    const child = spawn(toolchain.cargo, ["build", "--release", "--target", toolchain.target], {
      cwd,
      stdio: "inherit",
      env: { ...process.env, RUSTC: toolchain.rustc },
    });
    child.on("error", () => done(127));
    child.on("exit", (status) => done(status ?? 1));
  });
  if (code !== 0)
    throw new WispError(
      "BUILD_FAILED",
      `cargo build --target ${toolchain.target} failed in ${cwd}`,
      "fix the errors printed above",
    );
  const built = join(cwd, "target", toolchain.target, "release", `${crate.replaceAll("-", "_")}.wasm`);
  await mkdir(dirname(resolve(cwd, out)), { recursive: true });
  await copyFile(built, resolve(cwd, out));
}

function executable(file: string): Promise<boolean> {
  return access(file, 1).then(
    () => true,
    () => false,
  );
}

function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function output(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => execFile(file, args, (error, stdout) => done(error ? undefined : stdout.trim())));
}
