/** eachLine: the line reader of `auditd report` and `seccomp from-strace`, on any chunking, with lines of any length. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eachLine } from '../../src/inputs/each-line.js';

async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c <= at || c >= bytes.length) continue;
    yield bytes.subarray(at, c);
    at = c;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function lines(bytes: Buffer, cuts: readonly number[], maxLine: number): Promise<[string, number, boolean][]> {
  const out: [string, number, boolean][] = [];
  await eachLine(chunked(bytes, cuts), 'x', (text, n, whole) => void out.push([text, n, whole]), (e) => e as Error, maxLine);
  return out;
}

test('lines: split at \\n, \\r\\n taken whole, a last line without \\n kept, empty lines kept; the same however the bytes are chunked', async () => {
  const text = 'a\r\nb\n\nc\u00e9\u2028d\nlast';
  const expected = [['a', 1, true], ['b', 2, true], ['', 3, true], ['c\u00e9\u2028d', 4, true], ['last', 5, true]];
  assert.deepEqual(await lines(Buffer.from(text), [], 100), expected);
  // Every cut, a multi-byte character's included.
  for (let cut = 1; cut < Buffer.byteLength(text); cut++) assert.deepEqual(await lines(Buffer.from(text), [cut], 100), expected, `cut at ${cut}`);
  assert.deepEqual(await lines(Buffer.from('a\n'), [], 100), [['a', 1, true]], 'no empty line after the last \\n');
  assert.deepEqual(await lines(Buffer.alloc(0), [], 100), []);
});

test('lines: a line longer than the limit is its head alone, marked not whole; the next line is read as usual', async () => {
  assert.deepEqual(await lines(Buffer.from('abcdef\nxyz\nabcd'), [2, 5, 9], 4), [['abcd', 1, false], ['xyz', 2, true], ['abcd', 3, true]]);
});

test('lines: property: arbitrary text in arbitrary chunks gives its lines, each cut to the limit', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', 'é') , maxLength: 60 }), fc.array(fc.nat(80), { maxLength: 8 }), fc.integer({ min: 1, max: 12 }), async (text, cuts, maxLine) => {
      const bytes = Buffer.from(text);
      const want: [string, number, boolean][] = [];
      const split = bytes.length ? text.split('\n') : [];
      if (text.endsWith('\n')) split.pop();
      split.forEach((l, i) => {
        const b = Buffer.from(l);
        const head = b.subarray(0, maxLine).toString('utf8');
        want.push([b.length <= maxLine && head.endsWith('\r') ? head.slice(0, -1) : head, i + 1, b.length <= maxLine]);
      });
      assert.deepEqual(await lines(bytes, cuts, maxLine), want);
    }),
    { numRuns: 300 },
  );
});

test('lines: a read error is thrown as readError makes it; an error of the handler as it is, and the source is closed', async () => {
  async function* failing(): AsyncGenerator<Buffer> {
    yield Buffer.from('a\n');
    throw Object.assign(new Error('boom'), { code: 'EIO' });
  }
  await assert.rejects(eachLine(failing(), 'x', () => undefined, (e) => new Error(`read: ${(e as NodeJS.ErrnoException).code}`)), /^Error: read: EIO$/);
  let closed = false;
  async function* endless(): AsyncGenerator<Buffer> {
    try {
      for (;;) yield Buffer.from('line\n');
    } finally {
      closed = true;
    }
  }
  await assert.rejects(eachLine(endless(), 'x', (_, n) => { if (n === 3) throw new Error('handler'); }, (e) => e as Error), /handler/);
  assert.ok(closed, 'the source was closed');
});
