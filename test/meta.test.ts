/** Keeps the rule catalog honest: every rule listed, unique, documented, with fixtures. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/index.js';
import { ruleDoc } from '../src/docs/rule-doc.js';
import { examplesOf } from '../src/docs/examples.js';
import { repoRoot } from './support/env.js';
import { isHostLevel } from '../src/core/sections.js';

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

/** The kind of input a fixture is, from what follows its case name: `inspect.json`, `compose.yaml`, `k8s.yaml`, `Dockerfile`, a folder… */
function kindOfFixture(rest: string): string {
  if (rest === 'inspect.json') return 'inspect';
  if (rest.endsWith('.json') || rest.startsWith('cfn.')) return 'ecs';
  if (rest.startsWith('compose.')) return 'compose';
  if (rest.startsWith('k8s.')) return 'kubernetes';
  if (rest === 'Dockerfile') return 'dockerfile';
  return 'folder';
}


function hostTestsText(): string {
  const dir = join(repoRoot, 'test', 'host');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n') : '';
}

for (const rule of RULES.filter(isHostLevel)) {
  test(`${rule.name}: tested in test/host, generated doc`, () => {
    // Each host-level rule's tests name it in a bad case and a good case (a finding, and its absence).
    const mentions = hostTestsText().split(`'${rule.name}'`).length - 1;
    assert.ok(mentions >= 2, `test/host/*.test.ts must test ${rule.name} with a bad and a good case (naming '${rule.name}' in each)`);
    const doc = join(repoRoot, 'docs', 'rules', `${rule.name}.md`);
    assert.ok(existsSync(doc), `missing docs/rules/${rule.name}.md: run npm run docs`);
    assert.equal(readFileSync(doc, 'utf8'), ruleDoc(rule, examplesOf(repoRoot, rule.name)), `docs/rules/${rule.name}.md is stale: run npm run docs`);
  });
}

for (const rule of RULES.filter((r) => !isHostLevel(r))) {
  test(`${rule.name}: fixtures and generated doc`, () => {
    const dir = join(repoRoot, 'test', 'rules', rule.name);
    assert.ok(existsSync(dir), `missing fixtures folder test/rules/${rule.name}`);
    const files = readdirSync(dir);
    if (rule.needs.includes('runtime')) {
      assert.ok(files.some((f) => /^bad.*\.inspect\.json$/.test(f) && !f.endsWith('.expected.json')), 'a runtime rule needs a bad inspect fixture');
      assert.ok(files.some((f) => /^good.*\.inspect\.json$/.test(f)), 'a runtime rule needs a good inspect fixture');
    }
    // Every kind of input the rule has fixtures for has both a bad and a good one.
    const byKind = new Map<string, Set<string>>();
    for (const f of files) {
      const m = /^(bad|good)[^.]*\.(.+)$/.exec(f);
      if (!m || /(expected\.json|top\.json|info\.json)$/.test(f)) continue;
      const kind = kindOfFixture(m[2]!);
      byKind.set(kind, (byKind.get(kind) ?? new Set()).add(m[1]!));
    }
    for (const [kind, sides] of byKind) assert.deepEqual([...sides].sort(), ['bad', 'good'], `${rule.name}: ${kind} fixtures need a bad and a good case`);
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
