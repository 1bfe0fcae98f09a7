import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesSource, fileSource } from '../../src/inputs/byte-source.js';
import { InputError } from '../../src/core/errors.js';

test('a file and the same bytes in memory read alike, piece by piece, without the byte order mark', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-source.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const text = '[{"Name": "é€😀"}]\n'.repeat(5000);
  const file = join(dir, 'in.json');
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
  for (const source of [fileSource(file), bytesSource(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))]) {
    assert.equal(source.size, Buffer.byteLength(text));
    // Pieces of every size, the view of one read copied before the next (it may be reused).
    const pieces: Buffer[] = [];
    for (let at = 0, step = 1; at < source.size; at += step, step = (step * 7) % 9973 + 1) pieces.push(Buffer.from(source.read(at, Math.min(at + step, source.size))));
    assert.equal(Buffer.concat(pieces).toString('utf8'), text);
    assert.equal(source.read(source.size - 2, source.size + 100).toString(), ']\n', 'a read past the end stops at it');
    source.close();
  }
});

test('a file larger than the read window: pieces forward, backward, across the window\'s edge and larger than it read the right bytes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-source.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  const file = join(dir, 'big.bin');
  writeFileSync(file, bytes);
  const source = fileSource(file);
  const MB = 1024 * 1024;
  const pieces: [number, number][] = [
    [0, 10], [MB - 5, MB + 5], [10, 20], [2 * MB + 3, 2 * MB + 4], [100, 2 * MB + 100], [3 * MB, 3 * MB + 17], [MB - 1, MB], [5, 6], [0, bytes.length],
  ];
  for (const [start, end] of pieces) assert.ok(source.read(start, end).equals(bytes.subarray(start, end)), `${start}..${end}`);
  source.close();
});

test('a folder or a missing file is a one-line InputError naming it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-source.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.throws(() => fileSource(dir), (e: unknown) => e instanceof InputError && e.message === `${dir}: is a directory, expected a file`);
  assert.throws(() => fileSource(join(dir, 'none.json')), (e: unknown) => e instanceof InputError && e.message === `${join(dir, 'none.json')}: no such file`);
});
