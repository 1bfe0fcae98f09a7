/** Reconnection delays: 0.5 s doubling to 30 s, each with ±20 % jitter so many watchers do not reconnect in step. */
export class Backoff {
  private next = 500;

  constructor(
    private readonly first = 500,
    private readonly max = 30_000,
    private readonly random: () => number = Math.random,
  ) {
    this.next = first;
  }

  /** The delay to wait now, in milliseconds; the one after it is twice as long (up to max). */
  delay(): number {
    const base = this.next;
    this.next = Math.min(this.next * 2, this.max);
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  reset(): void {
    this.next = this.first;
  }
}

/** Waits ms, or less when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
