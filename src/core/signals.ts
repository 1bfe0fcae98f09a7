/**
 * A signal handler (Ctrl-C's `interrupted`, exit 3) runs only when the event
 * loop turns, and a scan of thousands of files or the offline audit's batches
 * run synchronously for seconds: they call this between files or batches,
 * and it lets the loop turn once a tenth of a second has passed.
 */
const EVERY_MS = 100;

let last = performance.now();

export async function letSignalsIn(): Promise<void> {
  const now = performance.now();
  if (now - last < EVERY_MS) return;
  last = now;
  await new Promise<void>((resolve) => setImmediate(resolve));
}
