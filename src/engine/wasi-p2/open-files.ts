import { close } from "node:fs";

/** Thrown by an operation on a file already closed (its descriptor dropped, or its run over). */
export class FileClosed extends Error {
  readonly code = "EBADF";
  constructor() {
    super("the file is closed");
  }
}

/**
 * A host file a 0.3 descriptor opened. It closes once the guest has dropped the descriptor (or
 * its run ends) and no operation on it is in flight, never during one: a closed fd's number is
 * reused by the next open, and an operation still holding it would reach another request's file.
 * A stream reading or writing the file uses it one operation at a time; after the close, its
 * next operation fails with EBADF without touching the number.
 */
export class OpenFile {
  private inFlight = 0;
  private closing = false;
  private closed = false;

  constructor(private readonly fd: number) {}

  /** Runs an operation on the file's fd, which stays open until it settles. */
  async use<T>(operation: (fd: number) => T | Promise<T>): Promise<T> {
    if (this.closing) throw new FileClosed();
    this.inFlight++;
    try {
      return await operation(this.fd);
    } finally {
      this.inFlight--;
      this.closeIfIdle();
    }
  }

  /** The same, for the quick metadata calls made synchronously. */
  useNow<T>(operation: (fd: number) => T): T {
    if (this.closing) throw new FileClosed();
    return operation(this.fd);
  }

  close(): void {
    this.closing = true;
    this.closeIfIdle();
  }

  private closeIfIdle(): void {
    if (!this.closing || this.inFlight > 0 || this.closed) return;
    this.closed = true;
    close(this.fd, () => undefined);
  }
}

/** The files one run opened: whatever its guest did not drop is closed when the run ends. */
export class OpenFiles {
  private readonly files = new Set<OpenFile>();

  add(fd: number): OpenFile {
    const file = new OpenFile(fd);
    this.files.add(file);
    return file;
  }

  close(file: OpenFile): void {
    this.files.delete(file);
    file.close();
  }

  closeAll(): void {
    for (const file of this.files) file.close();
    this.files.clear();
  }
}
