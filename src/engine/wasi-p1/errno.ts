/** WASI preview1 errno values (the ones this host returns). */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1,
  ACCES: 2,
  AGAIN: 6,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  MFILE: 33,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSPC: 51,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSOCK: 57,
  NOTSUP: 58,
  OVERFLOW: 61,
  PERM: 63,
  PIPE: 64,
  ROFS: 69,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

/** Thrown inside a WASI call to return `errno` to the guest. */
export class WasiErrno extends Error {
  constructor(readonly errno: number) {
    super(`wasi errno ${errno}`);
  }
}

const HOST_ERRNO: Record<string, number> = {
  E2BIG: Errno.TOOBIG,
  EACCES: Errno.ACCES,
  EAGAIN: Errno.AGAIN,
  EBADF: Errno.BADF,
  EEXIST: Errno.EXIST,
  EINVAL: Errno.INVAL,
  EIO: Errno.IO,
  EISDIR: Errno.ISDIR,
  ELOOP: Errno.LOOP,
  EMFILE: Errno.MFILE,
  ENAMETOOLONG: Errno.NAMETOOLONG,
  ENOENT: Errno.NOENT,
  ENOSPC: Errno.NOSPC,
  ENOSYS: Errno.NOSYS,
  ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY,
  ENOTSUP: Errno.NOTSUP,
  EPERM: Errno.PERM,
  EPIPE: Errno.PIPE,
  EROFS: Errno.ROFS,
  ESPIPE: Errno.SPIPE,
  EXDEV: Errno.XDEV,
};

/** Maps an error from node:fs (or a WasiErrno) to the errno the guest sees. */
export function errnoOf(error: unknown): number {
  if (error instanceof WasiErrno) return error.errno;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && code in HOST_ERRNO) return HOST_ERRNO[code]!;
  return Errno.IO;
}
