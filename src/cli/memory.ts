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
