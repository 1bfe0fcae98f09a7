import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LazyArray, jsonPieces } from '../../src/reporters/json-pieces.js';

/** Replaces some arrays (at any depth, but not inside another lazy one) with LazyArrays of the same elements. */
function lazify(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) return pick() ? new LazyArray(value, (x) => x) : value.map((v) => lazify(v, pick));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lazify(v, pick)]));
  return value;
}

test('the pieces join to exactly what JSON.stringify(value, null, 2) writes, lazy arrays anywhere', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), fc.infiniteStream(fc.boolean()), (value, coins) => {
      const it = coins[Symbol.iterator]();
      const lazy = lazify(value, () => it.next().value as boolean);
      assert.equal([...jsonPieces(lazy)].join(''), JSON.stringify(value, null, 2) + '\n');
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
