/** WASI preview1 ABI constants (wasi_snapshot_preview1 witx). */

export const FileType = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

/** Rights bits. Wisp grants by descriptor kind and mode, so only the ones that decide a mode matter. */
export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_WRITE: 1n << 6n,
  FD_ALLOCATE: 1n << 8n,
  FD_READDIR: 1n << 14n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
} as const;

/** Every right defined by preview1 (bits 0..29). */
export const ALL_RIGHTS = (1n << 30n) - 1n;
/** Rights that let a descriptor change data: absent on descriptors of read-only trees. */
export const WRITE_RIGHTS = Rights.FD_DATASYNC | Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE |
  (1n << 9n) | (1n << 10n) | (1n << 11n) | (1n << 12n) | (1n << 16n) | (1n << 17n) | (1n << 19n) | (1n << 20n) |
  (1n << 23n) | (1n << 24n) | (1n << 25n) | (1n << 26n) | (1n << 4n);

export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
