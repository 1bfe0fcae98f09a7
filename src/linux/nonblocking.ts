/** How long a read or write waits before trying a pipe again whose other end has not caught up. */
const WAIT_MS = 5;
const waitCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * A read or write on a descriptor opened without blocking (so that opening a
 * FIFO never waits for ever): a pipe whose other end has not caught up says
 * EAGAIN, so wait a moment and try again, as a blocking call would have
 * waited. Regular files never say it.
 */
export function whileAgain<T>(op: () => T): T {
  for (;;) {
    try {
      return op();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(waitCell, 0, 0, WAIT_MS);
    }
  }
}
