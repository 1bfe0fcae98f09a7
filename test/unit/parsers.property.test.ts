/** Parser boundaries: arbitrary or damaged input gives a result or a clean InputError, never a crash or a hang. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { containersFromInspectText } from '../../src/inputs/inspect/read.js';
import { InputError } from '../../src/core/errors.js';
import { joinPath, parentPath, splitPath } from '../../src/model/path.js';
import { plain } from '../../src/reporters/sanitize.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import { fixturesDir } from '../support/env.js';

const recorded = readFileSync(join(fixturesDir, 'rules', 'capabilities-added', 'bad.inspect.json'), 'utf8');

function parseOrInputError(text: string): void {
  try {
    const containers = containersFromInspectText(text, 'f.json');
    // Whatever parsed must also survive every rule and the locator.
    for (const f of runRules({ containers }, RULES)) assert.ok(f.location.path !== undefined);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    assert.match(e.message, /^f\.json:\d+:\d+: /, 'errors name file:line:column');
    assert.ok(!e.message.includes('\n'), 'one line');
  }
}

test('arbitrary text', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), parseOrInputError), { numRuns: 2000 });
});

test('arbitrary JSON values', () => {
  fc.assert(fc.property(fc.json({ maxDepth: 4 }), parseOrInputError), { numRuns: 2000 });
});

test('a real inspect document, truncated, spliced or with bytes replaced', () => {
  fc.assert(
    fc.property(fc.nat(recorded.length), fc.nat(recorded.length), fc.string({ maxLength: 5 }), (a, b, junk) => {
      const [i, j] = a < b ? [a, b] : [b, a];
      parseOrInputError(recorded.slice(0, i));
      parseOrInputError(recorded.slice(0, i) + junk + recorded.slice(j));
    }),
    { numRuns: 1000 },
  );
});

test('a real inspect document with any field replaced by any JSON value', () => {
  const doc = (JSON.parse(recorded) as Record<string, unknown>[])[0]!;
  const host = doc['HostConfig'] as Record<string, unknown>;
  const keys = [...Object.keys(doc).map((k) => [k]), ...Object.keys(host).map((k) => ['HostConfig', k])];
  fc.assert(
    fc.property(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), (key, value) => {
      const copy = structuredClone(doc);
      if (key.length === 1) copy[key[0]!] = value;
      else (copy['HostConfig'] as Record<string, unknown>)[key[1]!] = value;
      parseOrInputError(JSON.stringify([copy]));
    }),
    { numRuns: 2000 },
  );
});

test('deeply nested input does not overflow the stack', () => {
  parseOrInputError('['.repeat(200000) + ']'.repeat(200000));
  parseOrInputError('[' + '{"a":'.repeat(100000));
  parseOrInputError('[' + '{"a":'.repeat(100000) + 'x' + '}'.repeat(100000) + ']');
  // Valid, and deep where no rule looks: findings are still reported, placed by path.
  const doc = (JSON.parse(recorded) as Record<string, unknown>[])[0]!;
  const deep = JSON.stringify([{ ...doc, Extra: 0 }]).replace('"Extra":0', '"Extra":' + '['.repeat(100000) + ']'.repeat(100000));
  const findings = runRules({ containers: containersFromInspectText(deep, 'f.json') }, RULES);
  assert.ok(findings.some((f) => f.rule.name === 'capabilities-added'));
});

test('paths round-trip through split and join', () => {
  const segment = fc.oneof(fc.nat(1000), fc.string({ minLength: 1, maxLength: 12 }));
  fc.assert(
    fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
      assert.deepEqual(splitPath(joinPath(segments)), segments);
      assert.equal(parentPath(joinPath(segments)), joinPath(segments.slice(0, -1)));
    }),
    { numRuns: 3000 },
  );
});

test('plain() leaves no control character behind', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
      assert.ok(!/[\x00-\x1f\x7f-\x9f]/.test(plain(s)));
    }),
    { numRuns: 3000 },
  );
});
