import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Positions } from '../../src/inputs/json/positions.js';

/** The obvious answer for a character offset, in UTF-16 code units as everything in bulkhead counts. */
function naive(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}

test('byte offsets map to the line and column of the character there, in any lookup order, any text', () => {
  const line = fc.string({ unit: fc.constantFrom('a', ' ', 'é', '€', '😀', '"'), maxLength: 40 });
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (lines, picks) => {
      const text = lines.join('\n');
      // Character boundaries only: a lookup in the middle of a character has no answer.
      const starts: number[] = [];
      for (let i = 0; i <= text.length; i++) if (i === text.length || !(text.charCodeAt(i) >= 0xdc00 && text.charCodeAt(i) <= 0xdfff)) starts.push(i);
      const positions = new Positions(Buffer.from(text));
      for (const p of picks) {
        const offset = starts[p % starts.length]!;
        assert.deepEqual(positions.at(Buffer.byteLength(text.slice(0, offset))), naive(text, offset), `offset ${offset}`);
      }
    }),
    { numRuns: 300 },
  );
});
