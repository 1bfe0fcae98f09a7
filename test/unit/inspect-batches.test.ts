/** The --inspect file is judged a batch at a time: that must find, place and order exactly what judging it whole does. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ordered, placedFindings, runRules } from '../../src/core/engine.js';
import type { Finding } from '../../src/core/finding.js';
import { InputError } from '../../src/core/errors.js';
import { fileSource } from '../../src/inputs/byte-source.js';
import { containersFromInspect, readInspect } from '../../src/inputs/inspect/read.js';
import { RULES } from '../../src/rules/index.js';
import { fixturesDir } from '../support/env.js';

/** Every recorded inspect document, repeated until the file is larger than the source's 1 MB read window. */
function recordedDocs(): unknown[] {
  const docs: unknown[] = [];
  for (const rule of readdirSync(join(fixturesDir, 'rules')).sort()) {
    for (const name of readdirSync(join(fixturesDir, 'rules', rule)).filter((n) => n.endsWith('.inspect.json')).sort()) {
      docs.push(...(JSON.parse(readFileSync(join(fixturesDir, 'rules', rule, name), 'utf8')) as unknown[]));
    }
  }
  return docs;
}

const shown = (f: Finding) => `${f.subject.name} ${f.rule.id} ${f.severity} ${f.location.path} ${JSON.stringify(f.location.loc)} ${f.message}`;

test('batches of any size find, place and order the same findings as the whole file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-batches.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const base = recordedDocs();
  const docs = Array.from({ length: 3 * base.length }, (_, i) => ({ ...(base[i % base.length] as object), Name: `/c${String(i).padStart(4, '0')}` }));
  const file = join(dir, 'inspect.json');
  writeFileSync(file, JSON.stringify(docs, null, 4));
  assert.ok(readFileSync(file).length > 1 << 20, 'the file spans more than one read window');

  const whole = fileSource(file);
  const expected = runRules({ containers: containersFromInspect(whole, 'inspect.json') }, RULES).map(shown);
  whole.close();
  assert.ok(expected.length > 500, `only ${expected.length} findings`);

  for (const size of [1, 7, 128, docs.length + 1]) {
    const source = fileSource(file);
    const read = readInspect(source, 'inspect.json', undefined, size);
    assert.equal(read.count(), undefined, 'not counted before it is read');
    const found: Finding[] = [];
    let containers = 0;
    for (const batch of read.batches) {
      assert.ok(batch.length >= 1 && batch.length <= size);
      containers += batch.length;
      found.push(...placedFindings({ containers: batch }, RULES));
    }
    source.close();
    assert.equal(containers, docs.length);
    assert.equal(read.count(), docs.length);
    assert.deepEqual(ordered(found).map(shown), expected, `batches of ${size}`);
  }
});

test('a malformed document after the first batch is an input error naming its line, once the earlier batches are judged', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-batches.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const doc = JSON.stringify(recordedDocs()[0]);
  const file = join(dir, 'inspect.json');
  // Line 1 is '[', then one document per line; the fourth is cut short (its structure still balances).
  writeFileSync(file, `[\n${[doc, doc, doc, doc.replace(/"Id":\s*"/, '"Id": x"'), doc].join(',\n')}\n]\n`);
  const source = fileSource(file);
  t.after(() => source.close());
  const read = readInspect(source, 'inspect.json', undefined, 2);
  const iterator = read.batches[Symbol.iterator]();
  assert.equal(iterator.next().value?.length, 2);
  assert.throws(() => iterator.next(), (e: unknown) => e instanceof InputError && /^inspect\.json:5:\d+: malformed JSON/.test(e.message));
});
