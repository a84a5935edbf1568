import { Errno } from "./errno.js";
import type { GuestMemory } from "./guest-memory.js";

/**
 * WASI's first snapshot, `wasi_unstable` (preview 0: what compilers wrote before the end of 2019),
 * over the preview1 calls: the same functions, but for three layouts, as Wasmtime adapts them:
 * - `fd_seek`'s whence numbers CUR, END, SET as 0, 1, 2 (preview1: SET, CUR, END);
 * - a `filestat` is 56 bytes, its link count a u32 at 20 (preview1: 64 bytes, a u64 at 24);
 * - a `subscription` is 56 bytes, a clock's carrying an `identifier` before its clock id
 *   (preview1: 48 bytes). Events are the same.
 * Everything else is preview1's call itself.
 */
type Call = (...args: never[]) => number;

const FILESTAT_0 = 56;
const FILESTAT_1 = 64;
const SUBSCRIPTION_0 = 56;
const SUBSCRIPTION_1 = 48;
/** preview0's whence (CUR, END, SET) as preview1's (SET 0, CUR 1, END 2). */
const WHENCE_1 = [1, 2, 0];

export function preview0Calls(
  preview1: WebAssembly.ModuleImports,
  memory: () => GuestMemory,
): WebAssembly.ModuleImports {
  const call = (name: string) => preview1[name] as Call as (...args: number[]) => number;
  const seek = preview1.fd_seek as unknown as (fd: number, offset: bigint, whence: number, result: number) => number;

  /** Runs a preview1 stat call that writes 64 bytes at `ptr`, and leaves preview0's 56 there. */
  const withFilestat0 = (ptr: number, stat: () => number): number => {
    const mem = memory();
    let after: Uint8Array;
    try {
      // The 8 bytes past preview0's struct are the guest's own: kept and put back.
      after = mem.slice(ptr + FILESTAT_0, FILESTAT_1 - FILESTAT_0).slice();
    } catch {
      return Errno.FAULT;
    }
    const errno = stat();
    if (errno === 0) {
      const nlink = mem.getU64(ptr + 24);
      const size = mem.getU64(ptr + 32);
      const atim = mem.getU64(ptr + 40);
      const mtim = mem.getU64(ptr + 48);
      const ctim = mem.getU64(ptr + 56);
      mem.setU32(ptr + 20, Number(nlink > 0xffffffffn ? 0xffffffffn : nlink));
      mem.setU64(ptr + 24, size);
      mem.setU64(ptr + 32, atim);
      mem.setU64(ptr + 40, mtim);
      mem.setU64(ptr + 48, ctim);
    }
    mem.slice(ptr + FILESTAT_0, after.length).set(after);
    return errno;
  };

  return {
    ...preview1,
    ...faultOnRangeError({
      fd_seek: (fd: number, offset: bigint, whence: number, result: number) =>
        whence in WHENCE_1 ? seek(fd, offset, WHENCE_1[whence]!, result) : Errno.INVAL,
      fd_filestat_get: (fd: number, ptr: number) => withFilestat0(ptr, () => call("fd_filestat_get")(fd, ptr)),
      path_filestat_get: (fd: number, flags: number, path: number, pathLength: number, ptr: number) =>
        withFilestat0(ptr, () => call("path_filestat_get")(fd, flags, path, pathLength, ptr)),
      poll_oneoff: (inPtr: number, outPtr: number, count: number, neventsPtr: number) => {
        const mem = memory();
        let original: Uint8Array;
        try {
          original = mem.slice(inPtr, count * SUBSCRIPTION_0).slice();
        } catch {
          return Errno.FAULT;
        }
        // Rewritten in place, front to back: entry i's preview1 form ends before entry i+1's preview0 form starts.
        const view = new DataView(original.buffer);
        for (let i = 0; i < count; i++) {
          const from = i * SUBSCRIPTION_0;
          const to = inPtr + i * SUBSCRIPTION_1;
          const target = mem.slice(to, SUBSCRIPTION_1);
          target.fill(0);
          target.set(original.subarray(from, from + 9)); // userdata, type
          if (view.getUint8(from + 8) === 0) {
            // A clock: identifier at 16 dropped; id, timeout, precision, flags moved up 8 bytes.
            mem.setU32(to + 16, view.getUint32(from + 24, true));
            mem.setU64(to + 24, view.getBigUint64(from + 32, true));
            mem.setU64(to + 32, view.getBigUint64(from + 40, true));
            mem.setU16(to + 40, view.getUint16(from + 48, true));
          } else {
            mem.setU32(to + 16, view.getUint32(from + 16, true));
          }
        }
        try {
          return call("poll_oneoff")(inPtr, outPtr, count, neventsPtr);
        } finally {
          mem.slice(inPtr, original.length).set(original);
        }
      },
    }),
  };
}

/** As preview1's calls are guarded (run-command.ts): a pointer outside memory is EFAULT, never a throw into the guest. */
function faultOnRangeError(calls: Record<string, (...args: never[]) => number>): WebAssembly.ModuleImports {
  return Object.fromEntries(
    Object.entries(calls).map(([name, call]) => [
      name,
      (...args: never[]) => {
        try {
          return call(...args);
        } catch (error) {
          if (error instanceof RangeError) return Errno.FAULT;
          throw error;
        }
      },
    ]),
  );
}
