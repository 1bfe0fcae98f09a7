import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteWriter } from '../../src/reporters/byte-writer.js';
import { jsonSafe } from '../../src/reporters/sanitize.js';

const text = (out: ByteWriter) => Buffer.from(out.take()).toString('utf8');

test('json() writes what JSON.stringify writes, as UTF-8, with DEL, C1 and the line separators escaped too: quotes, backslashes, control characters, lone surrogates, non-ASCII', () => {
  const raw = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\x1b', '\x7f', '\x85', '\x9b', '\u2028', '\u2029', '\u00e9', '\ud83d') });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string(), raw), (s) => {
      const out = new ByteWriter(1 << 16);
      assert.ok(out.json(s));
      const written = text(out);
      assert.equal(written, jsonSafe(JSON.stringify(s)));
      assert.doesNotMatch(written, /[\x7f-\x9f\u2028\u2029]/);
      assert.equal(JSON.parse(written), s);
    }),
    { numRuns: 2000 },
  );
});

test('number() writes what JSON.stringify writes: integers digit by digit, others as text, null when not finite', () => {
  fc.assert(
    fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double()), (n) => {
      const out = new ByteWriter(64);
      assert.ok(out.number(n));
      assert.equal(text(out), JSON.stringify(n));
    }),
    { numRuns: 2000 },
  );
  for (const n of [0, 9, 10, 99, 100, 1e15, Number.MAX_SAFE_INTEGER, 2 ** 53, -0, NaN, Infinity, -Infinity]) {
    const out = new ByteWriter(64);
    assert.ok(out.number(n));
    assert.equal(text(out), JSON.stringify(n), String(n));
  }
});

test('json() of a text that needs escaping after a plain start, in a buffer with little room, writes all or nothing', () => {
  for (const s of ['abc"', 'abc\\', 'abcé', 'abc\u0001', 'abc\u009b', 'plain']) {
    for (let size = 0; size < 30; size++) {
      const out = new ByteWriter(size);
      const wrote = out.json(s);
      assert.equal(text(out), wrote ? jsonSafe(JSON.stringify(s)) : '', `${JSON.stringify(s)} in ${size} bytes`);
    }
  }
});

test('a write that does not fit writes nothing and says so; truncate undoes a half-written element; take hands on and empties', () => {
  const out = new ByteWriter(10);
  assert.ok(out.bytes(Buffer.from('[1,')));
  const mark = out.length;
  assert.ok(out.number(22));
  assert.equal(out.json('abcdef'), false, 'eight bytes do not fit in five');
  assert.equal(out.length, mark + 2);
  assert.equal(out.json('é"\u0001'), false, 'an escaped text is measured with room for its worst case');
  assert.equal(out.bytes(Buffer.from('123456')), false);
  assert.equal(out.number(123456), false);
  assert.equal(out.number(-12345), false);
  assert.equal(out.length, mark + 2);
  out.truncate(mark);
  assert.ok(out.json('ab'));
  assert.equal(text(out), '[1,"ab"');
  assert.equal(out.length, 0);
  assert.ok(out.json('abcdefgh'), 'the whole buffer is free again');
  assert.equal(text(out), '"abcdefgh"');
});
