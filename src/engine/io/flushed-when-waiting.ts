import type { ResponseSink } from "./response-sink.js";

/**
 * A response that goes out whenever its guest waits: what the guest has written (its head, its
 * body so far) is flushed once the thread turns to other work, rather than when the buffer fills
 * or the body ends. For a guest that suspends (a 0.2 one whose waits hold no thread): streaming an
 * upstream's body, its client sees each part as it comes. Writes in one stretch of the guest's
 * running go out together (setImmediate runs after the promises the guest's calls settle).
 */
export function flushedWhenWaiting(sink: ResponseSink): ResponseSink {
  if (!sink.flush) return sink;
  let scheduled = false;
  let closed = false;
  const flushSoon = () => {
    if (scheduled || closed) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      // A body that ended goes with the job's end, whole.
      if (closed) return;
      try {
        sink.flush!();
      } catch {
        // The client left (StreamClosed): the guest's next write fails with it, in its own run.
        // Thrown here, outside any run, it would end the thread and every request on it.
      }
    });
  };
  const body = sink.body;
  return {
    head(status, headers) {
      sink.head(status, headers);
      flushSoon();
    },
    get headSent() {
      return sink.headSent;
    },
    body: {
      write(bytes) {
        body.write(bytes);
        flushSoon();
      },
      capacity: () => body.capacity(),
      ...(body.whenWritable ? { whenWritable: () => body.whenWritable!() } : {}),
      ...(body.keeps ? { keeps: () => body.keeps!() } : {}),
      close() {
        closed = true;
        body.close();
      },
    },
    flush: () => sink.flush!(),
    ...(sink.trailers ? { trailers: (fields) => sink.trailers!(fields) } : {}),
  };
}
