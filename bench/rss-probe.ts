/**
 * Preloaded into the real CLI by the benchmark (`node --import <this> dist/src/cli/bulkhead.mjs ...`):
 * when the process exits it writes its peak resident set size and its time since
 * start-up as JSON to the file named by BULKHEAD_BENCH_PROBE, so the memory figure
 * is that of the CLI itself, with no extra package.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env['BULKHEAD_BENCH_PROBE'];
if (file) {
  process.on('exit', (code) => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        code,
        maxRssKiB: usage.maxRSS,
        elapsedMs: performance.now(),
        userCpuMs: usage.userCPUTime / 1000,
        systemCpuMs: usage.systemCPUTime / 1000,
      }),
    );
  });
}
