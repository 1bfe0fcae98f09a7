import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteWriter } from '../../src/reporters/byte-writer.js';

const text = (out: ByteWriter) => Buffer.from(out.take()).toString('utf8');

test('json() writes what JSON.stringify writes, as UTF-8: quotes, backslashes, control characters, lone surrogates, non-ASCII', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (s) => {
      const out = new ByteWriter(1 << 16);
      assert.ok(out.json(s));
      assert.equal(text(out), JSON.stringify(s));
    }),
    { numRuns: 2000 },
  );
});

test('a write that does not fit writes nothing and says so; truncate undoes a half-written element; take hands on and empties', () => {
  const out = new ByteWriter(10);
  assert.ok(out.bytes(Buffer.from('[1,')));
  const mark = out.length;
  assert.ok(out.ascii('22'));
  assert.equal(out.json('abcdef'), false, 'eight bytes do not fit in five');
  assert.equal(out.length, mark + 2);
  assert.equal(out.json('é"\u0001'), false, 'an escaped text is measured with room for its worst case');
  assert.equal(out.bytes(Buffer.from('123456')), false);
  assert.equal(out.ascii('123456'), false);
  assert.equal(out.length, mark + 2);
  out.truncate(mark);
  assert.ok(out.json('ab'));
  assert.equal(text(out), '[1,"ab"');
  assert.equal(out.length, 0);
  assert.ok(out.json('abcdefgh'), 'the whole buffer is free again');
  assert.equal(text(out), '"abcdefgh"');
});
