/** fix's check that a file is UTF-8 before rewriting it: where the first byte that is not lies, as line:column. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { firstInvalidUtf8, utf8Position } from '../../src/harden/fix/utf8.js';

test('firstInvalidUtf8: -1 for UTF-8, the offset of the first bad byte otherwise (Latin-1, overlong, surrogate, past U+10FFFF, cut short)', () => {
  assert.equal(firstInvalidUtf8(Buffer.from('name: café ✓ 𝄞\n')), -1);
  assert.equal(firstInvalidUtf8(Buffer.alloc(0)), -1);
  assert.equal(firstInvalidUtf8(Buffer.from('caf\xe9 x', 'latin1')), 3);
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf])), 1); // overlong '/'
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80])), 2); // a surrogate
  assert.equal(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), 0); // past U+10FFFF
  assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x9c])), 1); // cut short at the end
  assert.equal(firstInvalidUtf8(Buffer.from([0xc3, 0xa9, 0x80])), 2); // a lone continuation byte
});

test('firstInvalidUtf8 agrees with Node\'s decoder: the text before the offset is where its first U+FFFD is', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 8 }), (raw, prefix) => {
      const bytes = Buffer.concat([Buffer.from(prefix.replace(/\ufffd/g, '')), raw]);
      // A real U+FFFD (EF BF BD) in the bytes would decode the same as a bad byte: compare only without one.
      fc.pre(!bytes.includes(Buffer.from([0xef, 0xbf, 0xbd])));
      const decoded = bytes.toString('utf8');
      const at = firstInvalidUtf8(bytes);
      if (at === -1) assert.ok(!decoded.includes('\ufffd'));
      else assert.equal(bytes.toString('utf8', 0, at).length, decoded.indexOf('\ufffd'));
    }),
    { numRuns: 2000 },
  );
});

test('utf8Position: 1-based line and column in characters, after a byte order mark', () => {
  const bytes = Buffer.concat([Buffer.from('\ufeffa: 1\nnote: "é', 'utf8'), Buffer.from([0xe9])]);
  const at = firstInvalidUtf8(bytes.subarray(3)) + 3;
  assert.deepEqual(utf8Position(bytes, at, 3), { line: 2, column: 9 });
  assert.deepEqual(utf8Position(Buffer.from('\xe9', 'latin1'), 0), { line: 1, column: 1 });
});
