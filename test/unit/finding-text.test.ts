/** The finding's bytes written by hand must be exactly the text the generic path (findingJson + JSON.stringify) writes. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runRules } from '../../src/core/engine.js';
import type { Finding } from '../../src/core/finding.js';
import { containersFromInspectText } from '../../src/inputs/inspect/read.js';
import { writeFinding } from '../../src/reporters/finding-text.js';
import { ByteWriter } from '../../src/reporters/byte-writer.js';
import { findingJson } from '../../src/reporters/json.js';
import { jsonSafe } from '../../src/reporters/sanitize.js';
import { RULES } from '../../src/rules/index.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../support/env.js';

const generic = (f: Finding, indent: string) => jsonSafe(JSON.stringify(findingJson(f), null, 2)).replaceAll('\n', `\n${indent}`);
const findingText = (f: Finding, indent: string) => {
  const out = new ByteWriter(1 << 20);
  assert.ok(writeFinding(f, indent, out));
  return Buffer.from(out.take()).toString('utf8');
};

test('every finding of the recorded inspect fixtures is written exactly as findingJson + JSON.stringify write it, at any indentation', () => {
  let checked = 0;
  for (const rule of readdirSync(join(fixturesDir, 'rules'))) {
    for (const name of readdirSync(join(fixturesDir, 'rules', rule)).filter((n) => n.endsWith('.inspect.json'))) {
      const file = join(fixturesDir, 'rules', rule, name);
      const findings = runRules({ containers: containersFromInspectText(readFileSync(file, 'utf8'), name) }, RULES);
      for (const f of findings) {
        for (const indent of ['', '    ', '\t']) assert.equal(findingText(f, indent), generic(f, indent));
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} findings`);
});

test('hostile and odd values (control characters, quotes, lone surrogates, no position, odd numbers) are written the same way', () => {
  const rule = RULES[0]!;
  // Any text, and text thick with DEL, the C1 controls and the line separators.
  const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', '"', '\\', '\x1b', '\x7f', '\x85', '\x9b', '\u2028', '\u2029', '\u00e9', '\ud83d') }));
  fc.assert(
    fc.property(
      fc.record({
        message: text,
        name: text,
        id: fc.option(text, { nil: undefined }),
        file: fc.option(text, { nil: undefined }),
        host: fc.option(fc.record({ name: text, id: fc.option(text, { nil: undefined }) }), { nil: undefined }),
        path: text,
        remediation: text,
        loc: fc.option(fc.record({ file: text, line: fc.oneof(fc.integer(), fc.constant(Number.NaN)), column: fc.double() }), { nil: undefined }),
        indent: fc.constantFrom('', '  ', '    '),
      }),
      (v) => {
        const f: Finding = {
          rule,
          severity: 'high',
          message: v.message,
          subject: { kind: 'container', name: v.name, ...(v.id === undefined ? {} : { id: v.id }), ...(v.file === undefined ? {} : { file: v.file }), ...(v.host === undefined ? {} : { host: v.host.id === undefined ? { name: v.host.name } : { name: v.host.name, id: v.host.id } }) },
          location: { path: v.path, ...(v.loc ? { loc: v.loc } : {}) },
          remediation: v.remediation,
        };
        const written = findingText(f, v.indent);
        assert.equal(written, generic(f, v.indent));
        // Nothing a terminal acts on when the report is printed, and the same data for a parser.
        assert.doesNotMatch(written, /[\x7f-\x9f\u2028\u2029]/);
        assert.deepEqual(JSON.parse(written), JSON.parse(JSON.stringify(findingJson(f))));
      },
    ),
    { numRuns: 500 },
  );
});

test('a finding about one CIS item of a rule that covers several lists that item, not all of them, in both writers', () => {
  const rule = RULES.find((r) => r.name === 'docker-path-not-audited')!;
  assert.ok(rule.references.length > 1);
  const finding = (reference?: string): Finding => ({
    rule,
    severity: 'low',
    message: 'm',
    subject: { kind: 'host', name: 'h' },
    location: { path: 'audit.watch["/etc/docker"]' },
    remediation: 'r',
    ...(reference ? { reference } : {}),
  });
  // Alternated, so a writer that kept one finding's references for the next would show it.
  for (const reference of ['CIS-1.1.6', undefined, 'CIS-1.1.12', 'CIS-1.1.6', undefined]) {
    const f = finding(reference);
    const written = findingText(f, '  ');
    assert.equal(written, generic(f, '  '));
    assert.deepEqual(JSON.parse(written).references, [...(reference ? [reference] : rule.references), ...rule.aliases]);
  }
});
