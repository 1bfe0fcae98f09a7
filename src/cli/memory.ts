import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Stops glibc's malloc from handing freed memory back to the kernel while the
 * process runs, by freeing one large block early.
 *
 * V8 compiles on worker threads whose malloc arenas grow and shrink with
 * every optimised function: glibc trims an arena's free top (madvise
 * DONTNEED) once it passes M_TRIM_THRESHOLD, 128 KiB by default, and the next
 * compilation faults the same pages in again. A fresh page costs ~20 µs on
 * these VMs, and the offline audit of 10,000 containers took ~5,000 such
 * faults (~0.1 s of its ~1.9 s). glibc raises the threshold by itself, to twice
 * the size of an mmap-ed block when one is freed (mallopt(3), "dynamic mmap
 * threshold"), and a process cannot call mallopt from JavaScript; so this
 * allocates a block big enough to be mmap-ed and lets the first garbage
 * collection free it. It is never touched, so it costs no page. Elsewhere
 * (musl, macOS) it is one mapping made and dropped.
 */
export function keepFreedMemory(): void {
  // At most 32 MiB: glibc adjusts nothing for a larger block (DEFAULT_MMAP_THRESHOLD_MAX).
  Buffer.allocUnsafeSlow(30 * 1024 * 1024);
}

/** The young generation's two semi-spaces at 8 MiB each: V8's own limit where its pointers are compressed (Chrome's). */
export const YOUNG_GENERATION_CAP = 16 * 1024 * 1024;

/** The V8 whose growth factor was measured: another may not know the flag, and would say so on stderr. */
export const MEASURED_V8 = '11.';

let youngCapped = false;

/**
 * Keeps the young generation from growing past YOUNG_GENERATION_CAP; called
 * between the batches of a long job, it stops the growth at the first call
 * that finds the cap reached.
 *
 * Node's V8 doubles the two semi-spaces from 1 to 16 MiB each as objects
 * survive its scavenges, and an audit of thousands of `docker inspect`
 * documents keeps a batch of them alive at every scavenge, so it grows all
 * the way: the last doubling alone is 16 MiB of fresh pages (~4,000 faults,
 * ~20 µs each here). Stopped at 8 MiB, the offline audit of 10,000 containers
 * faulted ~5,500 pages less and took ~0.15 s less (medians of alternated
 * runs): the scavenges it adds cost less. The largest size is fixed when
 * node starts (--max-semi-space-size, which a program run through its `#!`
 * line can pass only with `env -S`, not in every `env`), but V8 reads the
 * growth factor at each growth: a factor of 1 keeps the size it has.
 */
export function capYoungGeneration(): void {
  if (youngCapped || !process.versions.v8.startsWith(MEASURED_V8)) return;
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (young === undefined || young.space_size < YOUNG_GENERATION_CAP) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  youngCapped = true;
}
