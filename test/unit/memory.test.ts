import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MEASURED_V8, YOUNG_GENERATION_CAP } from '../../src/cli/memory.js';

const memoryModule = fileURLToPath(new URL('../../src/cli/memory.js', import.meta.url));

/**
 * The largest young generation a fresh node reaches while it keeps a batch of
 * objects alive at every scavenge, as the offline audit does, calling
 * capYoungGeneration between batches or not. In a child: V8's flags are the
 * process's.
 */
function largestYoungGeneration(capped: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { capYoungGeneration } from ${JSON.stringify(memoryModule)};
    const kept = [];
    let largest = 0;
    for (let batch = 0; batch < 100; batch++) {
      const live = [];
      for (let i = 0; i < 20000; i++) live.push({ batch, i, text: 'x'.repeat(i % 50) + i });
      kept.push(live[batch % live.length]);
      if (${capped}) capYoungGeneration();
      largest = Math.max(largest, getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
    }
    console.log(largest);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

test('capYoungGeneration stops the young generation at two 8 MiB semi-spaces, where node would grow it to two of 16 MiB', (t) => {
  if (!process.versions.v8.startsWith(MEASURED_V8)) {
    t.skip(`V8 ${process.versions.v8}: the cap is applied on V8 ${MEASURED_V8}x (Node 20) only`);
    return;
  }
  // Without the cap the same work grows the young generation past it: the check below can fail.
  assert.ok(largestYoungGeneration(false) > YOUNG_GENERATION_CAP, 'the uncapped young generation grows past the cap');
  assert.equal(largestYoungGeneration(true), YOUNG_GENERATION_CAP);
});
