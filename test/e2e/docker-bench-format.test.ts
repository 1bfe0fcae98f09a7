/** `--format docker-bench`: docker-bench-security's JSON log shape, from recorded containers. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir, runCli } from '../support/env.js';
import { hostTree } from '../support/host-tree.js';

interface BenchLog {
  dockerbenchsecurity: string;
  start: number;
  end: number;
  checks: number;
  score: number;
  tests: { id: string; desc: string; results: { id: string; desc: string; result: string; details?: string; items?: string[]; remediation?: string }[] }[];
}

const recorded = (rule: string, file: string) => JSON.parse(readFileSync(join(fixturesDir, 'rules', rule, file), 'utf8')) as Record<string, unknown>[];

function benchOf(docs: unknown[]): BenchLog {
  const r = runCli(['audit', '--inspect', '-', '-f', 'docker-bench', '--fail-on', 'none'], { input: JSON.stringify(docs) });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as BenchLog;
}

const resultOf = (log: BenchLog, id: string) => log.tests.flatMap((t) => t.results).find((r) => r.id === id);

test('a privileged container is a WARN on 5.5 naming it; a clean one passes 5.5; the score counts them', () => {
  const bad = benchOf(recorded('privileged-container', 'bad.inspect.json'));
  assert.equal(bad.dockerbenchsecurity, '1.6.0');
  assert.deepEqual(bad.tests.map((t) => [t.id, t.desc]), [['4', 'Container Images and Build File'], ['5', 'Container Runtime']]);
  const warn = resultOf(bad, '5.5')!;
  assert.equal(warn.result, 'WARN');
  assert.deepEqual(warn.items, ['privileged-container-bad']);
  assert.match(warn.details!, /^privileged-container-bad: /);
  assert.match(warn.remediation!, /privileged/);

  const good = benchOf(recorded('privileged-container', 'good.inspect.json'));
  assert.equal(resultOf(good, '5.5')!.result, 'PASS');
  assert.equal(resultOf(good, '5.5')!.items, undefined);

  for (const log of [bad, good]) {
    const all = log.tests.flatMap((t) => t.results);
    assert.equal(log.checks, all.length);
    // Scored results: +1 per PASS, -1 per WARN (INFO counts nothing).
    assert.equal(log.score, all.filter((r) => r.result === 'PASS').length - all.filter((r) => r.result === 'WARN').length);
    // In CIS order, 5.10 after 5.9.
    const ids = all.map((r) => r.id.split('.').map(Number));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]!.join() !== ids[i]!.join() && compare(ids[i - 1]!, ids[i]!) < 0, `${ids[i - 1]} before ${ids[i]}`);
    assert.ok(log.start <= log.end);
  }
  assert.ok(good.score > bad.score);
});

test('names with quotes, newlines and terminal escapes still give valid JSON that keeps them', () => {
  const [doc] = recorded('privileged-container', 'bad.inspect.json');
  const hostile = '/evil"name\n\u001b[31m\\';
  const log = benchOf([{ ...doc, Name: hostile }]);
  assert.ok(resultOf(log, '5.5')!.items!.some((n) => n.includes('evil"name')));
});

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

test('a finding about one CIS item of a rule that covers several is a WARN on that item alone', (t) => {
  const root = hostTree(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    'etc/group': 'root:x:0:\n',
    'etc/docker': { dir: true, mode: 0o755 },
    'etc/docker/daemon.json': { text: '{}\n', mode: 0o666 },
  });
  const r = runCli(['audit', '--root', root, '--sections', 'files', '-f', 'docker-bench', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout) as BenchLog;
  assert.deepEqual(log.tests.map((s) => s.id), ['3']);
  assert.equal(resultOf(log, '3.18')!.result, 'WARN'); // daemon.json mode
  assert.deepEqual(resultOf(log, '3.18')!.items, ['/etc/docker/daemon.json']);
  for (const item of ['3.17', '3.5', '3.6', '3.2']) assert.equal(resultOf(log, item)!.result, 'PASS', item);
});
