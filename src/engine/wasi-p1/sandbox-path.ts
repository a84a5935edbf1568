import { lstatSync, readlinkSync } from "node:fs";
import { Errno, WasiErrno } from "./errno.js";

/** A place inside a preopened tree: the tree's host root and the segments below it. */
export interface TreeLocation {
  root: string;
  segments: readonly string[];
}

/** Host path of a location. */
export function hostPathOf(location: TreeLocation): string {
  return location.segments.length === 0 ? location.root : `${location.root}/${location.segments.join("/")}`;
}

const MAX_SYMLINKS = 40;

/**
 * Resolves a guest path relative to a directory inside a preopened tree without ever leaving the
 * tree: `..` may not climb above the root, absolute paths are refused, and symlinks are followed
 * by hand (an absolute target, or one that climbs out, is refused), so the host path handed to
 * node:fs never names anything outside the root. The last segment's symlink is followed only when
 * `followLast` is set, as preview1's `lookupflags.symlink_follow` asks.
 *
 * `floor` is how many of `base`'s segments `..` (or a link) may never climb above: 0 keeps a path
 * inside the tree; `base.segments.length` keeps it below `base` itself, as a directory descriptor
 * is a capability of its own in preview1 (wasmtime refuses `..` above it).
 *
 * Returns the resolved location; the final segment may not exist (callers creating files check).
 */
export function resolveInTree(base: TreeLocation, path: string, followLast: boolean, floor = 0): TreeLocation {
  if (path.length === 0) throw new WasiErrno(Errno.NOENT);
  if (path.includes("\0")) throw new WasiErrno(Errno.INVAL);
  if (path.startsWith("/")) throw new WasiErrno(Errno.PERM);
  const trailingSlash = path.endsWith("/");
  const segments = [...base.segments];
  const pending = path
    .split("/")
    .filter((s) => s !== "")
    .reverse();
  let links = 0;
  while (pending.length > 0) {
    const segment = pending.pop()!;
    const isLast = pending.length === 0;
    if (segment === ".") continue;
    if (segment === "..") {
      if (segments.length <= floor) throw new WasiErrno(Errno.PERM);
      segments.pop();
      continue;
    }
    segments.push(segment);
    const host = hostPathOf({ root: base.root, segments });
    let stat;
    try {
      stat = lstatSync(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && isLast) break;
      if (code === "ENOENT") throw new WasiErrno(Errno.NOENT);
      if (code === "ENOTDIR") throw new WasiErrno(Errno.NOTDIR);
      if (code === "ENAMETOOLONG") throw new WasiErrno(Errno.NAMETOOLONG);
      throw error;
    }
    if (stat.isSymbolicLink() && (!isLast || followLast || trailingSlash)) {
      if (++links > MAX_SYMLINKS) throw new WasiErrno(Errno.LOOP);
      const target = readlinkSync(host);
      if (target.startsWith("/")) throw new WasiErrno(Errno.PERM);
      segments.pop();
      for (const part of target
        .split("/")
        .filter((s) => s !== "")
        .reverse())
        pending.push(part);
      continue;
    }
    if (!isLast && !stat.isDirectory()) throw new WasiErrno(Errno.NOTDIR);
    if (isLast && trailingSlash && !stat.isDirectory()) throw new WasiErrno(Errno.NOTDIR);
  }
  return { root: base.root, segments };
}
