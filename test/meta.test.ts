/** Keeps the rule catalog honest: every rule listed, unique, documented, with fixtures. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/index.js';
import { ruleDoc } from '../src/docs/rule-doc.js';
import { examplesOf } from '../src/docs/examples.js';
import { repoRoot } from './support/env.js';

test('every rule file is listed in the index, once', async () => {
  const files = readdirSync(join(repoRoot, 'src', 'rules')).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  const names = files.map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(RULES.map((r) => r.name).sort(), names, 'src/rules/<name>.ts must match the rule names in src/rules/index.ts');
});

test('ids and names are unique and well formed', () => {
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'duplicate rule id');
  assert.equal(new Set(RULES.map((r) => r.name)).size, RULES.length, 'duplicate rule name');
  for (const r of RULES) {
    assert.match(r.id, /^BH\d{3}$/, r.id);
    assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.name);
    assert.ok(r.references.every((ref) => /^CIS-\d+(\.\d+)+$/.test(ref)), `${r.name}: references are CIS-x.y ids`);
    assert.ok(r.docs.summary && r.docs.rationale && r.docs.remediation.docker, `${r.name}: docs incomplete`);
  }
});

test('rules are listed in id order', () => {
  const ids = RULES.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort());
});

for (const rule of RULES) {
  test(`${rule.name}: fixtures and generated doc`, () => {
    const dir = join(repoRoot, 'test', 'rules', rule.name);
    assert.ok(existsSync(dir), `missing fixtures folder test/rules/${rule.name}`);
    const files = readdirSync(dir);
    assert.ok(files.some((f) => /^bad.*\.inspect\.json$/.test(f) && !f.endsWith('.expected.json')), 'needs a bad inspect fixture');
    assert.ok(files.some((f) => /^good.*\.inspect\.json$/.test(f)), 'needs a good inspect fixture');
    const doc = join(repoRoot, 'docs', 'rules', `${rule.name}.md`);
    assert.ok(existsSync(doc), `missing docs/rules/${rule.name}.md: run npm run docs`);
    assert.equal(readFileSync(doc, 'utf8'), ruleDoc(rule, examplesOf(repoRoot, rule.name)), `docs/rules/${rule.name}.md is stale: run npm run docs`);
  });
}

test('the README rule table is current', async () => {
  const { withRulesTable } = await import('../src/docs/readme.js');
  const { rulesMarkdown } = await import('../src/cli/rules.js');
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.equal(readme, withRulesTable(readme, rulesMarkdown(RULES)), 'README.md rule table is stale: run npm run docs');
});
