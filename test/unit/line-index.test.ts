import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../../src/inputs/json/positions.js';

/** The obvious answer, for comparison. */
function naive(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

test('positions agree with counting, in any lookup order, across checkpoints', () => {
  const text = Array.from({ length: 20000 }, (_, i) => 'x'.repeat(i % 37)).join('\n');
  fc.assert(
    fc.property(fc.array(fc.nat(text.length), { minLength: 1, maxLength: 40 }), (offsets) => {
      const index = new LineIndex(text);
      for (const o of offsets) assert.deepEqual(index.position(o), naive(text, o), `offset ${o}`);
    }),
    { numRuns: 200 },
  );
});
