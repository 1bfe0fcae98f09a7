import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LazyArray, jsonPieces } from '../../src/reporters/json-pieces.js';
import { jsonSafe } from '../../src/reporters/sanitize.js';
import type { ByteWriter } from '../../src/reporters/byte-writer.js';

/** Replaces some arrays (at any depth, but not inside another lazy one) with LazyArrays of the same elements. */
function lazify(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) return pick() ? new LazyArray(value, (x) => x) : value.map((v) => lazify(v, pick));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lazify(v, pick)]));
  return value;
}

test('the pieces join to exactly what JSON.stringify(value, null, 2) writes (with jsonSafe\'s escapes), lazy arrays anywhere', () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' })), fc.infiniteStream(fc.boolean()), (value, coins) => {
      const it = coins[Symbol.iterator]();
      const lazy = lazify(value, () => it.next().value as boolean);
      assert.equal([...jsonPieces(lazy)].join(''), jsonSafe(JSON.stringify(value, null, 2)) + '\n');
    }),
    { numRuns: 1000 },
  );
});

test('a lazy array maps each element as it is written, and the mapping may drop keys as JSON.stringify does', () => {
  const seen: number[] = [];
  const doc = { a: 1, skipped: undefined, list: new LazyArray([1, 2, 3], (n) => (seen.push(n), { n, gone: undefined })), empty: new LazyArray([], (x) => x) };
  const pieces = jsonPieces(doc);
  assert.deepEqual(seen, [], 'nothing is made before it is written');
  const text = [...pieces].join('');
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(text, JSON.stringify({ a: 1, list: [{ n: 1 }, { n: 2 }, { n: 3 }], empty: [] }, null, 2) + '\n');
});

test('a lazy array that writes its own bytes makes the same text, whatever the size of the buffer it writes in: elements that do not fit go on in the next one, and one larger than the buffer is written as text', () => {
  // Each element as JSON.stringify indents it, written as bytes.
  const toBytes = (x: unknown, indent: string, out: ByteWriter) => out.bytes(Buffer.from(JSON.stringify(x, null, 2).replaceAll('\n', `\n${indent}`)));
  fc.assert(
    fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 12 }), fc.integer({ min: 1, max: 300 }), (items, chunk) => {
      const doc = { before: 1, list: new LazyArray(items, (x) => x, toBytes), after: [2] };
      let text = '';
      // The bytes are only valid until the next piece is asked for: decoded at once.
      for (const piece of jsonPieces(doc, chunk)) {
        if (typeof piece !== 'string') assert.ok(piece.length <= chunk);
        text += typeof piece === 'string' ? piece : Buffer.from(piece).toString('utf8');
      }
      assert.equal(text, JSON.stringify({ before: 1, list: items, after: [2] }, null, 2) + '\n');
    }),
    { numRuns: 500 },
  );
});
