/**
 * Output a guest has written waits in a buffer while the guest computes, so a small response
 * travels to the main thread as one message. Whenever the guest is about to block (waiting for
 * request body bytes, sleeping), the buffered output must go first: a streaming response (a
 * server-sent event, an echo that answers as it reads) would otherwise stall. The worker sets
 * the flush; the places that block call `beforeBlocking()`.
 */
let flush: (() => void) | undefined;

export function setBeforeBlocking(hook: (() => void) | undefined): void {
  flush = hook;
}

export function beforeBlocking(): void {
  flush?.();
}
