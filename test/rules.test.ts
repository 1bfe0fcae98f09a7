/**
 * The fixture harness: every rule folder under test/rules holds recorded
 * `docker inspect` fixtures. A `bad*` case must produce exactly the findings
 * of its sibling `*.expected.json` (rule, path, and line where given); a
 * `good*` case must produce none of the folder's rule.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../src/rules/index.js';
import { runRules } from '../src/core/engine.js';
import { containersFromInspectText } from '../src/inputs/inspect/read.js';
import { daemonFromInfo, processesFromTopBody } from '../src/inputs/engine/fetch.js';
import type { Container } from '../src/model/container.js';
import type { Workload } from '../src/model/workload.js';
import { explicit } from '../src/model/value.js';
import { fixturesDir, repoRoot } from './support/env.js';
import { configCases, checkConfigCase } from './support/config-fixtures.js';

interface Expected {
  rule: string;
  path: string;
  line?: number;
  severity?: string;
}

const rulesDir = join(fixturesDir, 'rules');

/** Loads a case: the inspect JSON plus, when recorded, the engine's process list and /info. */
export function loadCase(dir: string, name: string): Workload {
  const file = join(dir, `${name}.inspect.json`);
  const rel = file.slice(fixturesDir.length - 'test'.length);
  let containers: Container[] = containersFromInspectText(readFileSync(file, 'utf8'), rel);
  const topFile = join(dir, `${name}.top.json`);
  if (existsSync(topFile)) {
    const processes = processesFromTopBody(JSON.parse(readFileSync(topFile, 'utf8')));
    assert.ok(processes, `${topFile}: not a top response`);
    containers = containers.map((c) => ({ ...c, processes: explicit(processes, 'processes') }));
  }
  const infoFile = join(dir, `${name}.info.json`);
  const daemon = existsSync(infoFile) ? daemonFromInfo(JSON.parse(readFileSync(infoFile, 'utf8'))) : undefined;
  return daemon ? { containers, daemon } : { containers };
}

// Config fixtures are scanned with paths relative to the repository, as a user in it would.
process.chdir(repoRoot);

for (const ruleName of readdirSync(rulesDir)) {
  const dir = join(rulesDir, ruleName);
  const rule = RULES.find((r) => r.name === ruleName);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.inspect.json')).map((f) => f.slice(0, -'.inspect.json'.length));
  const configs = configCases(dir);

  test(`rule ${ruleName}`, async (t) => {
    assert.ok(rule, `test/rules/${ruleName} has no rule of that name in src/rules/index.ts`);
    if (rule.needs.includes('runtime')) {
      assert.ok(cases.some((c) => c.startsWith('bad')), 'a runtime rule needs at least one bad inspect fixture');
      assert.ok(cases.some((c) => c.startsWith('good')), 'a runtime rule needs at least one good inspect fixture');
    }
    for (const c of configs) await t.test(c.name, () => checkConfigCase(c, rule));
    for (const name of cases) {
      await t.test(name, () => {
        const findings = runRules(loadCase(dir, name), [rule]);
        const got = findings.map((f) => ({ rule: f.rule.name, path: f.location.path, line: f.location.loc?.line, severity: f.severity }));
        if (name.startsWith('good')) {
          assert.deepEqual(got, [], `${name}: expected no ${ruleName} findings`);
          return;
        }
        const expectedFile = join(dir, `${name}.inspect.expected.json`);
        assert.ok(existsSync(expectedFile), `missing ${expectedFile}`);
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected[];
        const comparable = got.map((g, i) => ({
          rule: g.rule,
          path: g.path,
          ...(expected[i]?.line !== undefined ? { line: g.line } : {}),
          ...(expected[i]?.severity !== undefined ? { severity: g.severity } : {}),
        }));
        assert.deepEqual(comparable, expected);
      });
    }
  });
}
