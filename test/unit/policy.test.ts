/** Ignores, severity overrides and the config file that holds them. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_CONFIG } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { applyPolicy } from '../../src/core/policy.js';
import { partition } from '../../src/core/suppression.js';
import fc from 'fast-check';
import { runRules } from '../../src/core/engine.js';
import { InputError } from '../../src/core/errors.js';
import { directivesOf } from '../../src/inputs/directives.js';
import { containersFromInspectText } from '../../src/inputs/inspect/read.js';
import { RULES } from '../../src/rules/index.js';
import { fixturesDir } from '../support/env.js';

const file = 'test/rules/capabilities-added/bad.inspect.json';
const findings = runRules({ containers: containersFromInspectText(readFileSync(join(fixturesDir, '..', file), 'utf8'), file) }, RULES);
const names = (list: readonly { rule: { name: string } }[]) => list.map((f) => f.rule.name);

test('a config ignore matches by rule id, name or peer id, within its paths', () => {
  for (const id of ['BH002', 'capabilities-added', 'KSV-0022']) {
    const config = parseConfig(`ignore:\n  - id: ${id}\n    reason: the platform needs them\n    paths: ["test/rules/**"]\n`, '.bulkhead.yaml');
    const r = applyPolicy(findings, config, new Map(), '2026-11-29');
    assert.ok(!names(r.reported).includes('capabilities-added'), id);
    assert.equal(r.suppressed.filter((s) => s.finding.rule.name === 'capabilities-added').length, 2);
    assert.equal(r.suppressed[0]!.suppression.reason, 'the platform needs them');
    assert.equal(r.suppressed[0]!.suppression.where, '.bulkhead.yaml:2:5');
  }
  const elsewhere = parseConfig('ignore:\n  - id: BH002\n    reason: r\n    paths: ["deploy/**"]\n', 'c.yaml');
  assert.ok(names(applyPolicy(findings, elsewhere, new Map()).reported).includes('capabilities-added'));
});

test('an expired ignore stops working and says so', () => {
  const config = parseConfig('ignore:\n  - id: BH002\n    reason: until the migration\n    expires: 2026-01-31\n', 'c.yaml');
  const r = applyPolicy(findings, config, new Map(), '2026-11-29');
  assert.ok(names(r.reported).includes('capabilities-added'));
  assert.match(r.notes.join('\n'), /c\.yaml:2:5: the ignore of BH002 expired on 2026-01-31/);
  assert.equal(applyPolicy(findings, config, new Map(), '2026-01-31').suppressed.length, 2, 'valid through its last day');
});

test('severity overrides change what fails', () => {
  const config = parseConfig('severity:\n  runs-as-root: critical\n  BH002: info\n', 'c.yaml');
  const r = applyPolicy(findings, config, new Map());
  assert.ok(r.reported.filter((f) => f.rule.name === 'capabilities-added').every((f) => f.severity === 'info'));
  assert.equal(r.reported.find((f) => f.rule.name === 'runs-as-root')?.severity, 'critical');
});

test('unknown keys and wrong types are errors with the position', () => {
  const bad: [string, RegExp][] = [
    ['ignores:\n  - id: X\n', /c\.yaml:1:1: unknown key "ignores"/],
    ['ignore:\n  - id: BH002\n    reson: typo\n', /c\.yaml:3:5: unknown key "reson"/],
    ['ignore:\n  - id: BH002\n', /c\.yaml:2:5: an ignore needs a reason/],
    ['ignore:\n  - id: BH002\n    reason: r\n    expires: someday\n', /c\.yaml:4:5: expires: expected a date/],
    // A day the month does not have (Date.parse would read it as March 2nd).
    ['ignore:\n  - id: BH002\n    reason: r\n    expires: 2099-02-30\n', /c\.yaml:4:5: expires: expected a date/],
    ['severity:\n  BH002: urgent\n', /c\.yaml:2:3: severity of BH002/],
    ['fail-on: sometimes\n', /c\.yaml:1:1: fail-on/],
    ['- just a list\n', /expected a mapping/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseConfig(text, 'c.yaml'), (e: unknown) => e instanceof InputError && message.test(e.message), text);
  assert.deepEqual(parseConfig('', 'c.yaml').ignores, EMPTY_CONFIG.ignores);
});

test('inline directives speak of the next line that is not a comment, or of their own line', () => {
  const text = [
    'FROM debian:12',
    '# bulkhead ignore=DL3002,BH032 the base image sets a healthcheck',
    '# expect: runs-as-root',
    'USER root',
    'services:',
    '  web:',
    '    privileged: true  # bulkhead ignore=privileged-container needed for the VPN',
    '# bulkhead global ignore=no-memory-limit limits are set by the platform',
    '# bulkhead ignore=BH001',
  ].join('\n');
  const ds = directivesOf(text);
  assert.deepEqual(
    ds.map((d) => [d.line, d.target, d.global, d.ids, d.reason]),
    [
      [2, 4, false, ['DL3002', 'BH032'], 'the base image sets a healthcheck'],
      [7, 7, false, ['privileged-container'], 'needed for the VPN'],
      [8, 10, true, ['no-memory-limit'], 'limits are set by the platform'],
      [9, 10, false, ['BH001'], ''],
    ],
  );
});

test('partition keeps the order of both lists, whichever findings are suppressed (none, the first, the last, any)', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { maxLength: 40 }), (suppress) => {
      const list = suppress.map((_, i) => findings[i % findings.length]!).map((f, i) => ({ ...f, message: String(i) }));
      const r = partition(list, (f) => (suppress[Number(f.message)] ? { kind: 'config', reason: 'r', where: 'w' } : undefined));
      assert.deepEqual(r.reported.map((f) => f.message), list.filter((_, i) => !suppress[i]).map((f) => f.message));
      assert.deepEqual(r.suppressed.map((s) => s.finding.message), list.filter((_, i) => suppress[i]).map((f) => f.message));
      assert.notEqual(r.reported, list, 'a list of its own');
    }),
  );
});
