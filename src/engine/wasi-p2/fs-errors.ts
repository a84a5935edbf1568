import { Errno } from "../wasi-p1/errno.js";
import type * as Fs from "../../generated/wasi@0.2.12/interfaces/wasi-filesystem-types.js";

type ErrorCode = Fs.ErrorCode;

/** The filesystem error-code of a sandbox refusal (0.2's enum case; 0.3's variant case has the same name). */
export const ERRNO_CODES: Readonly<Record<number, ErrorCode>> = {
  [Errno.NOENT]: "no-entry",
  [Errno.NOTDIR]: "not-directory",
  [Errno.ISDIR]: "is-directory",
  [Errno.LOOP]: "loop",
  [Errno.PERM]: "not-permitted",
  [Errno.ACCES]: "access",
  [Errno.NAMETOOLONG]: "name-too-long",
  [Errno.INVAL]: "invalid",
  [Errno.EXIST]: "exist",
  [Errno.ROFS]: "read-only",
  [Errno.XDEV]: "cross-device",
  [Errno.BADF]: "bad-descriptor",
};

/** The filesystem error-code of a node:fs failure, by its code (the same names in 0.2 and 0.3). */
export const NODE_CODES: Readonly<Record<string, ErrorCode>> = {
  ENOENT: "no-entry",
  ENOTDIR: "not-directory",
  EISDIR: "is-directory",
  ELOOP: "loop",
  EACCES: "access",
  EPERM: "not-permitted",
  ENAMETOOLONG: "name-too-long",
  EEXIST: "exist",
  ENOTEMPTY: "not-empty",
  EXDEV: "cross-device",
  EBUSY: "busy",
  EINVAL: "invalid",
  EFBIG: "file-too-large",
  EBADF: "bad-descriptor",
  ENOSPC: "insufficient-space",
  EDQUOT: "quota",
  EROFS: "read-only",
  EMLINK: "too-many-links",
  ETXTBSY: "text-file-busy",
};
