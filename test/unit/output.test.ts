import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from '../../src/cli/output.js';

test('text and bytes are written in order, whatever their sizes, and bytes whose buffer the reporter reuses are out before it writes again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-output-'));
  try {
    const scratch = Buffer.alloc(400_000);
    const expected: string[] = [];
    // A reporter that hands out views of one buffer and overwrites it as soon as it is asked for more.
    function* pieces(): Generator<string | Uint8Array> {
      const sizes = [3, 300_000, 5, 1, 400_000, 70_000, 2];
      for (const [i, size] of sizes.entries()) {
        const text = `<${i}>`;
        expected.push(text);
        yield text;
        const letter = String.fromCharCode(97 + i);
        scratch.fill(letter, 0, size);
        expected.push(letter.repeat(size));
        yield scratch.subarray(0, size);
        scratch.fill('#');
      }
      const big = 'é'.repeat(400_000); // more than the writer's megabyte once encoded
      expected.push(big);
      yield big;
      yield '!';
      expected.push('!');
    }
    const file = join(dir, 'report.txt');
    await writeAtomically(file, pieces());
    assert.equal(readFileSync(file, 'utf8'), expected.join(''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
