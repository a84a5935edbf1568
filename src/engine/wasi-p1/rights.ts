import { ALL_RIGHTS, Rights, WRITE_RIGHTS } from "./constants.js";
import type { Descriptor } from "./descriptors.js";

/**
 * The rights `fd_fdstat_get` reports, as wasmtime's preview1 reports them. Wisp does not narrow
 * rights per descriptor (`fd_fdstat_set_rights` is NOTSUP, as in wasmtime): what a descriptor may
 * do follows from its kind, how it was opened and whether its tree is writable. The sets matter
 * because guests pass them back to `path_open`, and because wasi-libc and the tests read them.
 */

/** A preopen's set: the one many userlands expect (no fd_write, so a guest reopening "." with it gets a directory). */
const PREOPEN_BASE =
  Rights.PATH_CREATE_DIRECTORY |
  Rights.PATH_CREATE_FILE |
  Rights.PATH_LINK_SOURCE |
  Rights.PATH_LINK_TARGET |
  Rights.PATH_OPEN |
  Rights.FD_READDIR |
  Rights.PATH_READLINK |
  Rights.PATH_RENAME_SOURCE |
  Rights.PATH_RENAME_TARGET |
  Rights.PATH_SYMLINK |
  Rights.PATH_REMOVE_DIRECTORY |
  Rights.PATH_UNLINK_FILE |
  Rights.PATH_FILESTAT_GET |
  Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_TIMES;

/** What files opened below a preopen may get. */
const PREOPEN_INHERITING =
  PREOPEN_BASE |
  Rights.FD_DATASYNC |
  Rights.FD_READ |
  Rights.FD_SEEK |
  Rights.FD_FDSTAT_SET_FLAGS |
  Rights.FD_SYNC |
  Rights.FD_TELL |
  Rights.FD_WRITE |
  Rights.FD_ADVISE |
  Rights.FD_ALLOCATE |
  Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_FILESTAT_SET_TIMES |
  Rights.POLL_FD_READWRITE;

/** A directory opened later: everything but what only makes sense on a file's data (a directory is never opened for writing). */
const DIRECTORY =
  ALL_RIGHTS & ~(Rights.FD_SEEK | Rights.FD_FILESTAT_SET_SIZE | Rights.PATH_FILESTAT_SET_SIZE | Rights.FD_WRITE);

/** [base, inheriting] rights of a descriptor; a read-only tree loses every right that changes data. */
export function rightsOf(descriptor: Descriptor): [bigint, bigint] {
  if (descriptor.kind === "stream") return [ALL_RIGHTS, 0n];
  if (descriptor.kind === "dir") {
    const keep = descriptor.writable ? ALL_RIGHTS : ~WRITE_RIGHTS;
    if (descriptor.preopenName !== undefined) return [PREOPEN_BASE & keep, PREOPEN_INHERITING & keep];
    return [DIRECTORY & keep, DIRECTORY & keep];
  }
  let base = ALL_RIGHTS & ~(WRITE_RIGHTS | Rights.FD_READ | Rights.FD_READDIR);
  if (descriptor.readable) base |= Rights.FD_READ;
  if (descriptor.writable) base |= WRITE_RIGHTS;
  return [base, 0n];
}
