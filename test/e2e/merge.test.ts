/**
 * `bulkhead merge`: real reports made by the CLI (audit --inspect of recorded
 * fixtures, scan of test files), their targets edited to stand for hosts,
 * merged into one report in every format.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/env.js';

const require = createRequire(import.meta.url);
const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
const validateSarif = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false, unicodeRegExp: false }).compile(schema);

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-merge-'));

/** A real JSON report of `args`, its target replaced by `host` (as if made on that host). */
function reportOf(name: string, host: string, args: string[]): string {
  const r = runCli([...args, '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { target: string };
  doc.target = host;
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

const privileged = ['audit', '--inspect', 'test/rules/privileged-container/bad.inspect.json'];
const hostNet = ['audit', '--inspect', 'test/rules/host-network/bad.inspect.json'];
const a1 = reportOf('a1.json', 'engine tcp://host-a:2376', privileged);
const a2 = reportOf('a2.json', 'engine tcp://host-a:2376', privileged);
const b = reportOf('b.json', 'engine tcp://host-b:2376', hostNet);
const c = reportOf('c.json', 'scan of host-c', ['scan', 'test/scan/real-world']);

interface Merged {
  target: string;
  findings: { ruleId: string; subject: { name: string; host?: { name: string } } }[];
  summary: { findings: number };
  fleet: { hosts: number; rules: { ruleId: string; hosts: number }[]; worstHosts: { host: string; total: number; critical: number }[]; changes?: { new: { host: string; ruleId: string }[]; fixed: { host: string; ruleId: string }[] } };
}

function merged(args: string[]): Merged {
  const r = runCli(['merge', ...args, '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Merged;
}

const findingsOf = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { findings: unknown[] }).findings.length;

test('merge: each finding once per host (two runs of host-a are one), its host in subject.host, and the fleet summary', () => {
  const m = merged([a1, a2, b, c]);
  assert.equal(m.findings.length, findingsOf(a1) + findingsOf(b) + findingsOf(c));
  assert.equal(m.summary.findings, m.findings.length);
  assert.ok(m.findings.every((f) => ['engine tcp://host-a:2376', 'engine tcp://host-b:2376', 'scan of host-c'].includes(f.subject.host!.name)));
  assert.equal(m.fleet.hosts, 3);
  const rule = (id: string) => m.fleet.rules.find((r) => r.ruleId === id)?.hosts;
  assert.equal(rule('BH018'), 3, 'no memory limit anywhere');
  assert.equal(rule('BH001'), 1, 'privileged on host-a only');
  assert.equal(rule('BH003'), 1, 'host network on host-b only');
  assert.ok(m.fleet.rules.every((r, i, all) => i === 0 || all[i - 1]!.hosts >= r.hosts), 'most widespread first');
  const totals = Object.fromEntries(m.fleet.worstHosts.map((h) => [h.host, h.total]));
  assert.deepEqual(totals, { 'engine tcp://host-a:2376': findingsOf(a1), 'engine tcp://host-b:2376': findingsOf(b), 'scan of host-c': findingsOf(c) });
  assert.equal(m.fleet.changes, undefined);
});

test('merge of a merged report: hosts come from subject.host, so nothing changes', () => {
  const once = join(dir, 'once.json');
  assert.equal(runCli(['merge', a1, b, '-f', 'json', '-o', once, '-q', '--fail-on', 'none']).code, 0);
  const again = merged([once]);
  assert.equal(again.fleet.hosts, 2);
  assert.equal(again.findings.length, findingsOf(a1) + findingsOf(b));
});

test('--previous: new and fixed findings by fingerprint and host, in JSON and text', () => {
  const before = join(dir, 'before.json');
  assert.equal(runCli(['merge', a1, b, '-f', 'json', '-o', before, '-q', '--fail-on', 'none']).code, 0);
  // host-b fixed everything; host-c joined the fleet.
  const m = merged([a2, c, '--previous', before]);
  const ch = m.fleet.changes!;
  assert.equal(ch.fixed.length, findingsOf(b));
  assert.ok(ch.fixed.every((f) => f.host === 'engine tcp://host-b:2376'));
  assert.equal(ch.new.length, findingsOf(c));
  assert.ok(ch.new.every((f) => f.host === 'scan of host-c'));
  const text = runCli(['merge', a2, c, '--previous', before, '--fail-on', 'none']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /fleet: 2 hosts/);
  assert.match(text.stdout, new RegExp(`since the previous merge: ${findingsOf(c)} new, ${findingsOf(b)} fixed`));
  assert.match(text.stdout, /worst hosts:\n {4}(engine tcp:\/\/host-a:2376|scan of host-c): /);
});

test('every format parses: SARIF validates against the schema, JUnit is well-formed XML, HTML is written; --fail-on gates', () => {
  const sarif = runCli(['merge', a1, b, c, '-f', 'sarif', '--fail-on', 'none']);
  assert.equal(sarif.code, 0, sarif.stderr);
  const doc = JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] };
  assert.ok(validateSarif(doc), JSON.stringify(validateSarif.errors?.slice(0, 3)));
  assert.equal(doc.runs[0]!.results.length, findingsOf(a1) + findingsOf(b) + findingsOf(c));
  const xml = join(dir, 'merged.xml');
  const html = join(dir, 'merged.html');
  const r = runCli(['merge', a1, b, '-f', 'junit', '-o', xml, '-f', 'html', '-o', html, '--fail-on', 'critical']);
  assert.equal(r.code, 1, 'a critical finding fails --fail-on critical');
  execFileSync('xmllint', ['--noout', xml], { stdio: ['ignore', 'pipe', 'pipe'] });
  const failures = execFileSync('xmllint', ['--xpath', 'count(//testcase/failure)', xml], { encoding: 'utf8' }).trim();
  assert.equal(Number(failures), findingsOf(a1) + findingsOf(b));
  assert.match(readFileSync(html, 'utf8'), /^<!doctype html>/i);
  assert.equal(runCli(['merge', b, '--fail-on', 'critical', '-q']).code, 0, 'host-b has nothing critical');
});

test('suppressed findings: listed ones (--show-suppressed) are merged and counted, with --show-suppressed listed again; unlisted ones are named in a note', () => {
  const config = join(dir, 'ignore-memory.yaml');
  writeFileSync(config, 'ignore:\n  - id: no-memory-limit\n    reason: the platform sets limits\n');
  const ignoring = ['--config', config];
  const listed = reportOf('a-listed.json', 'engine tcp://host-a:2376', [...privileged, ...ignoring, '--show-suppressed']);
  const unlisted = reportOf('b-unlisted.json', 'engine tcp://host-b:2376', [...hostNet, ...ignoring]);
  const own = JSON.parse(readFileSync(listed, 'utf8')) as { summary: { suppressed: number }; suppressed: { ruleName: string }[] };
  assert.ok(own.summary.suppressed > 0 && own.suppressed.every((s) => s.ruleName === 'no-memory-limit'));

  const r = runCli(['merge', listed, unlisted, '-f', 'json', '--fail-on', 'none', '--show-suppressed']);
  assert.equal(r.code, 0, r.stderr);
  const m = JSON.parse(r.stdout) as Merged & { summary: { suppressed: number }; notes: string[]; suppressed: { ruleId: string; subject: { host?: { name: string } }; suppression: { kind: string; reason: string } }[] };
  assert.equal(m.summary.suppressed, own.summary.suppressed);
  assert.equal(m.suppressed.length, own.summary.suppressed);
  assert.ok(m.suppressed.every((s) => s.ruleId === 'BH018' && s.subject.host?.name === 'engine tcp://host-a:2376' && s.suppression.kind === 'config' && s.suppression.reason === 'the platform sets limits'));
  assert.ok(!m.findings.some((f) => f.ruleId === 'BH018'), 'suppressed, not reported');
  assert.ok(!m.fleet.rules.some((x) => x.ruleId === 'BH018'), 'the fleet summary counts reported findings only');
  assert.ok(m.notes.some((n) => n.startsWith(`${unlisted}: `) && /suppressed findings? (is|are) not listed in it \(made without --show-suppressed\)/.test(n)), m.notes.join('\n'));

  // Without --show-suppressed the merge counts them and says how to list them; with it, text lists each with its host.
  const text = runCli(['merge', listed, unlisted, '--fail-on', 'none']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`, ${own.summary.suppressed} suppressed \\(--show-suppressed lists them\\)`));
  const listedText = runCli(['merge', listed, unlisted, '--fail-on', 'none', '--show-suppressed']);
  assert.match(listedText.stdout, /\nsuppressed\n {2}\S+ +BH018 no-memory-limit \S+ on engine tcp:\/\/host-a:2376 /);
  // A suppression's unknown keys are not carried into the merge.
  const extra = join(dir, 'a-extra.json');
  const doc = JSON.parse(readFileSync(listed, 'utf8')) as { suppressed: { suppression: Record<string, unknown> }[] };
  doc.suppressed[0]!.suppression['injected'] = 'not ours';
  writeFileSync(extra, JSON.stringify(doc));
  const carried = JSON.parse(runCli(['merge', extra, '-f', 'json', '--fail-on', 'none', '--show-suppressed']).stdout) as { suppressed: { suppression: Record<string, unknown> }[] };
  assert.deepEqual(Object.keys(carried.suppressed[0]!.suppression).sort(), ['kind', 'reason', 'where']);
  // A merged report read back keeps them.
  const once = join(dir, 'suppressed-once.json');
  assert.equal(runCli(['merge', listed, '-f', 'json', '-o', once, '-q', '--fail-on', 'none', '--show-suppressed']).code, 0);
  assert.equal((JSON.parse(runCli(['merge', once, '-f', 'json', '--fail-on', 'none']).stdout) as { summary: { suppressed: number } }).summary.suppressed, own.summary.suppressed);
});

test('a finding about one CIS item of a rule that covers several keeps that item through a merge, in JSON, text and JUnit', () => {
  // As an audit of a host without audit rules writes it (docker-path-not-audited covers CIS 1.1.3 to 1.1.18).
  const finding = (item: string, file: string) => ({
    ruleId: 'BH049', ruleName: 'docker-path-not-audited', severity: 'low', message: `CIS ${item}: ${file} is not watched by any audit rule`,
    references: [`CIS-${item}`], subject: { kind: 'host', name: 'h' }, location: { path: `audit.watch[${JSON.stringify(file)}]` }, remediation: 'r',
  });
  const report = join(dir, 'cis-items.json');
  writeFileSync(report, JSON.stringify({
    schemaVersion: 1, tool: { name: 'bulkhead', version: '0.1.0' }, target: 'host h', notes: [],
    findings: [finding('1.1.12', '/etc/containerd/config.toml'), finding('1.1.6', '/etc/docker')],
    summary: { subjects: 1, findings: 2, bySeverity: { info: 0, low: 2, medium: 0, high: 0, critical: 0 }, failOn: 'low', failed: true, suppressed: 0 },
  }));
  const json = runCli(['merge', report, '-f', 'json', '--fail-on', 'none']);
  const refs = (JSON.parse(json.stdout) as { findings: { references: string[] }[] }).findings.map((f) => f.references);
  assert.deepEqual(refs.sort(), [['CIS-1.1.12'], ['CIS-1.1.6']]);
  const text = runCli(['merge', report, '--fail-on', 'none', '--color', 'never']).stdout;
  assert.match(text, /BH049 docker-path-not-audited CIS-1\.1\.12\n/);
  assert.doesNotMatch(text, /CIS-1\.1\.3/);
  const junit = runCli(['merge', report, '-f', 'junit', '--fail-on', 'none']).stdout;
  assert.match(junit, /references: CIS-1\.1\.6</);
});

test('text from another host\'s report (its remediation too) reaches the terminal without control characters', () => {
  const doc = JSON.parse(readFileSync(b, 'utf8')) as { findings: { remediation: string }[] };
  doc.findings[0]!.remediation = 'remove it\x1b]0;owned\x07\x1b[2J\x1b[H\rAll clear \x9b32m';
  const hostile = join(dir, 'hostile-remediation.json');
  writeFileSync(hostile, JSON.stringify(doc));
  const r = runCli(['merge', hostile, '--fail-on', 'none', '--color', 'never']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  assert.match(r.stdout, /fix remove itAll clear 32m/);
});

test('bad input: not a report, a rule this bulkhead does not know, no files', () => {
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{"hello": 1}');
  const r = runCli(['merge', a1, junk]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: .*junk\.json: not a bulkhead JSON report/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{\n  "schemaVersion": 1,\n  "findings": [,]\n}\n');
  const m = runCli(['merge', broken]);
  assert.equal(m.code, 2);
  assert.equal(m.stderr, `bulkhead: ${broken}:3:16: not a bulkhead JSON report: malformed JSON (ValueExpected)\n`);
  const newer = join(dir, 'newer.json');
  const doc = JSON.parse(readFileSync(b, 'utf8')) as { findings: { ruleId: string }[] };
  doc.findings[0]!.ruleId = 'BH999';
  writeFileSync(newer, JSON.stringify(doc));
  const u = runCli(['merge', newer]);
  assert.equal(u.code, 2);
  assert.match(u.stderr, /newer\.json: rule BH999 .* is not one this bulkhead .* knows/);
  for (const [line, column] of [[-5, 1], [1, 1e308], ['1e999', 1], [2.5, 1]]) {
    const placed = JSON.parse(readFileSync(c, 'utf8')) as { findings: { location: Record<string, unknown> }[] };
    const i = placed.findings.findIndex((f) => f.location['line'] !== undefined);
    Object.assign(placed.findings[i]!.location, { line, column });
    const impossible = join(dir, 'impossible.json');
    writeFileSync(impossible, JSON.stringify(placed));
    const p = runCli(['merge', impossible, '-f', 'sarif']);
    assert.equal(p.code, 2, `${line}:${column} ${p.stderr}`);
    assert.equal(p.stderr, `bulkhead: ${impossible}: findings[${i}].location: file, line and column go together, line and column as whole numbers from 1\n`);
  }
  const none = runCli(['merge']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing required argument/);
  assert.equal(runCli(['merge', join(dir, 'absent.json')]).code, 2);
  const badSuppressed = join(dir, 'bad-suppressed.json');
  writeFileSync(badSuppressed, JSON.stringify({ ...(JSON.parse(readFileSync(b, 'utf8')) as object), suppressed: [{ ruleId: 'BH018' }] }));
  const s = runCli(['merge', badSuppressed]);
  assert.equal(s.code, 2);
  assert.match(s.stderr, /bad-suppressed\.json: suppressed\[0\] lacks ruleId, subject, location\.path or suppression/);
});
