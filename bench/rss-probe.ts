/**
 * Preloaded into the real CLI by the benchmark (`node --import <this> dist/src/cli/bulkhead.mjs ...`):
 * when the process exits it writes its peak resident set size and its time since
 * start-up as JSON to the file named by BULKHEAD_BENCH_PROBE, so the memory figure
 * is that of the CLI itself, with no extra package.
 *
 * The peak is /proc/self/status's VmHWM, the high-water mark of this process's
 * own memory. getrusage's maxRSS is not: Linux carries it across fork and exec,
 * so a CLI spawned by a benchmark holding a 64 MB report reported the
 * benchmark's size (201 MB for a CLI that peaked at 140).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env['BULKHEAD_BENCH_PROBE'];
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        code,
        maxRssKiB: highWaterKiB() ?? usage.maxRSS,
        elapsedMs: performance.now(),
        userCpuMs: usage.userCPUTime / 1000,
        systemCpuMs: usage.systemCPUTime / 1000,
      }),
    );
  });
}

function highWaterKiB(): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
