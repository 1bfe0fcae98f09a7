import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { readTextFile } from '../../src/inputs/read-input.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('readTextFile: the text without a byte order mark, multi-byte characters intact', () => {
  const file = join(dir, 'bom.yaml');
  writeFileSync(file, '\ufeffname: café ✓\n');
  assert.equal(readTextFile(file), 'name: café ✓\n');
});

test('readTextFile: files larger than the reused buffer, then a small one, each read whole and only itself', () => {
  const big = join(dir, 'big.yaml');
  const small = join(dir, 'small.yaml');
  const huge = join(dir, 'huge.yaml');
  const bigText = 'x: 1\n'.repeat(30000); // 150 KB: the buffer grows
  const hugeText = 'y: 2\n'.repeat(300000); // 1.5 MB: a buffer of its own
  writeFileSync(big, bigText);
  writeFileSync(small, 'a: b\n');
  writeFileSync(huge, hugeText);
  assert.equal(readTextFile(big), bigText);
  assert.equal(readTextFile(small), 'a: b\n');
  assert.equal(readTextFile(huge), hugeText);
  assert.equal(readTextFile(small), 'a: b\n');
  writeFileSync(small, '');
  assert.equal(readTextFile(small), '');
});

test('readTextFile: a folder or a missing file is an InputError naming it', () => {
  assert.throws(() => readTextFile(dir), (e) => e instanceof InputError && e.message === `${dir}: is a directory, expected a file`);
  const missing = join(dir, 'nope.yaml');
  assert.throws(() => readTextFile(missing), (e) => e instanceof InputError && e.message === `${missing}: no such file`);
});
