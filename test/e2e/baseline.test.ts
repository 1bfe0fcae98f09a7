/** Baselines: accept today's findings, then report only new ones; edits above a finding do not make it new. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf } from '../../src/core/fingerprint.js';
import { fixturesDir, runCli } from '../support/env.js';

const folder = () => mkdtempSync(join(tmpdir(), 'bulkhead-baseline-'));
const ruleNames = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleName: string }[] }).findings.map((f) => f.ruleName).sort();

test('baseline create from a scan report; later scans report only new findings, whatever moved above them', () => {
  const dir = folder();
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    privileged: true\n');
  const report = runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
  assert.equal(report.code, 0, report.stderr);
  const made = runCli(['baseline', 'create', 'base.json'], { cwd: dir, input: report.stdout });
  assert.equal(made.code, 0, made.stderr);
  const count = (JSON.parse(report.stdout) as { findings: unknown[] }).findings.length;
  assert.equal(made.stderr, `bulkhead: wrote a baseline of ${count} findings to base.json\n`);
  const baseline = JSON.parse(readFileSync(join(dir, 'base.json'), 'utf8')) as { kind: string; findings: { ruleName: string; path: string; subject: string }[] };
  assert.equal(baseline.kind, 'bulkhead-baseline');
  assert.ok(baseline.findings.some((f) => f.ruleName === 'privileged-container' && f.path === 'services.web.privileged' && f.subject === 'container web (compose.yaml)'));

  const same = runCli(['scan', '.', '--baseline', 'base.json', '-f', 'json'], { cwd: dir });
  assert.equal(same.code, 0, same.stderr);
  assert.deepEqual(ruleNames(same.stdout), []);

  // Lines added above every finding, and a new risk: only the new risk is reported, at its new line.
  writeFileSync(join(dir, 'compose.yaml'), '# moved down\n\nservices:\n  web:\n    image: nginx\n    privileged: true\n    pid: host\n');
  const moved = runCli(['scan', '.', '--baseline', 'base.json', '-f', 'json'], { cwd: dir });
  assert.equal(moved.code, 1, 'a new finding fails the gate');
  assert.deepEqual(ruleNames(moved.stdout), ['host-pid']);
  const notes = (JSON.parse(moved.stdout) as { notes: string[]; summary: { suppressed: number } });
  assert.equal(notes.summary.suppressed, count);
  assert.ok(notes.notes.includes(`${count} findings are in the baseline base.json: only new ones are reported`));

  // Fixed findings leave entries that match nothing: said, so the baseline can be renewed.
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
  const fixed = JSON.parse(runCli(['scan', '.', '--baseline', 'base.json', '-f', 'json'], { cwd: dir }).stdout) as { notes: string[] };
  assert.ok(fixed.notes.some((n) => /entr(y|ies) of the baseline base\.json matched nothing/.test(n)), fixed.notes.join('\n'));

  // --show-suppressed lists the baselined findings with where they were accepted.
  const shown = JSON.parse(runCli(['scan', '.', '--baseline', 'base.json', '-f', 'json', '--show-suppressed'], { cwd: dir }).stdout) as { suppressed: { suppression: { kind: string; where: string } }[] };
  assert.ok(shown.suppressed.length > 0);
  assert.ok(shown.suppressed.every((s) => s.suppression.kind === 'baseline' && s.suppression.where === 'base.json'));
});

test('a baseline made from an audit --inspect report filters the same audit; --from reads a report file', () => {
  const dir = folder();
  const inspect = join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json');
  const report = runCli(['audit', '--inspect', inspect, '-f', 'json', '-o', join(dir, 'report.json'), '--fail-on', 'none']);
  assert.equal(report.code, 0, report.stderr);
  assert.equal(runCli(['baseline', 'create', join(dir, 'base.json'), '--from', join(dir, 'report.json'), '-q']).code, 0);
  const again = runCli(['audit', '--inspect', inspect, '--baseline', join(dir, 'base.json'), '-f', 'json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(ruleNames(again.stdout), []);
});

test('a baseline of findings about a name holding DEL and C1 controls writes them as escapes, and still filters them', () => {
  const dir = folder();
  const doc = JSON.parse(readFileSync(join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json'), 'utf8')) as Record<string, unknown>[];
  doc[0]!['Name'] = '/evil\u009b2J\u007f';
  writeFileSync(join(dir, 'c.json'), JSON.stringify(doc));
  assert.equal(runCli(['audit', '--inspect', join(dir, 'c.json'), '-f', 'json', '-o', join(dir, 'report.json'), '--fail-on', 'none']).code, 0);
  assert.equal(runCli(['baseline', 'create', join(dir, 'base.json'), '--from', join(dir, 'report.json'), '-q']).code, 0);
  const written = readFileSync(join(dir, 'base.json'), 'utf8');
  assert.doesNotMatch(written, /[\x7f-\x9f]/);
  assert.ok(written.includes('evil\\u009b2J\\u007f'));
  const again = runCli(['audit', '--inspect', join(dir, 'c.json'), '--baseline', join(dir, 'base.json'), '-f', 'json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(ruleNames(again.stdout), []);
});

test('fingerprints: a line number, a container id and the spelling of a path do not change them; rule, subject and path do', () => {
  const base = { ruleId: 'BH001', subject: { kind: 'container', name: 'web', file: 'compose.yaml' }, path: 'services.web.privileged' };
  const fp = fingerprintOf(base, '/repo');
  assert.match(fp, /^[0-9a-f]{32}$/);
  assert.equal(fingerprintOf({ ...base, subject: { ...base.subject, file: './compose.yaml' } }, '/repo'), fp);
  assert.equal(fingerprintOf({ ...base, subject: { ...base.subject, file: '/repo/compose.yaml' } }, '/repo'), fp);
  assert.equal(fingerprintOf({ ...base, subject: { ...base.subject, id: 'abc' } } as typeof base, '/repo'), fp);
  for (const other of [
    { ...base, ruleId: 'BH002' },
    { ...base, path: 'services.web.pid' },
    { ...base, subject: { ...base.subject, name: 'api' } },
    { ...base, subject: { ...base.subject, kind: 'image' } },
    { ...base, subject: { ...base.subject, file: 'other/compose.yaml' } },
  ]) assert.notEqual(fingerprintOf(other, '/repo'), fp);
});

test('baseline errors: a file that is not a baseline, a report that is not bulkhead\'s, no report at all: exit 2, one line', () => {
  const dir = folder();
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');
  const oneLine = (r: { code: number; stderr: string }, pattern: RegExp) => {
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^bulkhead: [^\n]+\n$/);
    assert.match(r.stderr, pattern);
  };
  writeFileSync(join(dir, 'bad.json'), '{"findings": []}');
  oneLine(runCli(['scan', '.', '--baseline', 'bad.json'], { cwd: dir }), /bad\.json: not a bulkhead baseline/);
  writeFileSync(join(dir, 'broken.json'), '{');
  oneLine(runCli(['scan', '.', '--baseline', 'broken.json'], { cwd: dir }), /broken\.json:1:2: not a bulkhead baseline: malformed JSON \(CloseBraceExpected\)/);
  oneLine(runCli(['scan', '.', '--baseline', 'missing.json'], { cwd: dir }), /missing\.json/);
  writeFileSync(join(dir, 'v2.json'), JSON.stringify({ kind: 'bulkhead-baseline', schemaVersion: 2, findings: [] }));
  oneLine(runCli(['scan', '.', '--baseline', 'v2.json'], { cwd: dir }), /schemaVersion 2 is not one this bulkhead reads/);
  oneLine(runCli(['baseline', 'create', 'b.json'], { cwd: dir, input: '{"tool": {"name": "trivy"}, "findings": []}' }), /stdin: not a bulkhead JSON report/);
  oneLine(runCli(['baseline', 'create', 'b.json'], { cwd: dir, input: '\x1b[31m' }), /stdin:1:1: not a bulkhead JSON report: malformed JSON/);
  assert.doesNotMatch(runCli(['baseline', 'create', 'b.json'], { cwd: dir, input: '\x1b[31m' }).stderr, /\x1b/);
});
