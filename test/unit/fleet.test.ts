/** The fleet's pure functions: which host a finding is on, merging, the summary, and changes. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { changesSince, fleetSummary, hostNamer, hostsOf, mergeFindings, WORST_HOSTS } from '../../src/core/fleet.js';
import { InputError } from '../../src/core/errors.js';
import type { ReportDocument, ReportFinding, ReportSuppressed } from '../../src/core/report-json.js';

function finding(ruleId: string, name: string, severity: string, extra: Partial<ReportFinding> = {}): ReportFinding {
  return { ruleId, ruleName: `rule-${ruleId}`, severity, message: `${ruleId} on ${name}`, subject: { kind: 'container', name }, location: { path: `Path.${ruleId}` }, ...extra };
}

const report = (target: string, findings: ReportFinding[], from = `${target}.json`): ReportDocument => ({ from, target, findings, suppressed: [], suppressedCount: 0, notes: [] });

const ignored = (f: ReportFinding): ReportSuppressed => ({ ...f, suppression: { kind: 'config', reason: 'accepted risk', where: '.bulkhead.yaml:3:5' } });

test('hostNamer: subject.host.name when the finding names one, else the report target', () => {
  const r = report('engine unix:///var/run/docker.sock', []);
  const hostOf = hostNamer([r]);
  assert.equal(hostOf(finding('BH001', 'web', 'critical'), r), 'engine unix:///var/run/docker.sock');
  assert.equal(hostOf(finding('BH001', 'web', 'critical', { subject: { kind: 'container', name: 'web', host: { name: 'node-7', id: 'ABCD' } } }), r), 'node-7');
});

test('hostNamer: engines that share a name (several on one machine) are told apart by their IDs', () => {
  const on = (id: string): ReportDocument => ({ ...report(`engine unix:///run/${id}.sock (vm, …)`, [finding('BH004', 'web', 'high')]), host: { name: 'vm', id } });
  const [a, b, c] = [on('AAAA'), on('BBBB'), on('AAAA')];
  const hostOf = hostNamer([a, b, c]);
  assert.deepEqual([a, b, c].map((r) => hostOf(r.findings[0], r)), ['vm AAAA', 'vm BBBB', 'vm AAAA']);
  assert.deepEqual(hostsOf([a, b, c]), ['vm AAAA', 'vm BBBB']);
  assert.equal(mergeFindings([a, b, c]).length, 2, 'two runs of engine AAAA are one host');
  assert.deepEqual(hostsOf([a, { ...report('engine tcp://other', []), host: { name: 'other', id: 'CCCC' } }]), ['vm', 'other'], 'a name of one engine stays a name');
});

test('hostOf: a report of one host is known by its host, not its target, so two runs of one host are one host', () => {
  const monday: ReportDocument = { ...report('engine unix:///var/run/docker.sock (node-7, Docker 20.10.24), running containers, 12 used images', [finding('BH001', 'web', 'critical')]), host: { name: 'node-7', id: 'ABCD' } };
  const tuesday: ReportDocument = { ...report('engine unix:///var/run/docker.sock (node-7, Docker 20.10.24), running containers, 13 used images', [finding('BH001', 'web', 'critical')]), host: { name: 'node-7', id: 'ABCD' } };
  assert.equal(hostNamer([monday, tuesday])(monday.findings[0]!, monday), 'node-7');
  assert.deepEqual(hostsOf([monday, tuesday]), ['node-7']);
  assert.equal(mergeFindings([monday, tuesday]).length, 1);
  assert.deepEqual(changesSince(mergeFindings([tuesday]), mergeFindings([monday])), { new: [], fixed: [] });
  const clean: ReportDocument = { ...report('engine tcp://b (node-8, …)', []), host: { name: 'node-8' } };
  assert.deepEqual(hostsOf([clean]), ['node-8'], 'a host with no findings is named by its host too');
});

test('merge: one finding per fingerprint and host, the later report winning; the same finding on two hosts is two', () => {
  const early = report('a', [finding('BH001', 'web', 'high'), finding('BH018', 'web', 'medium')]);
  const late = report('a', [{ ...finding('BH001', 'web', 'critical'), message: 'later' }]);
  const other = report('b', [finding('BH001', 'web', 'critical')]);
  const merged = mergeFindings([early, late, other]);
  assert.equal(merged.length, 3);
  const onA = merged.filter((m) => m.host === 'a' && m.finding.ruleId === 'BH001');
  assert.equal(onA.length, 1);
  assert.equal(onA[0]!.finding.message, 'later');
  assert.equal(onA[0]!.severity, 'critical');
  assert.equal(new Set(merged.filter((m) => m.finding.ruleId === 'BH001').map((m) => m.fingerprint)).size, 1, 'same fingerprint on both hosts');
  // Line numbers are not identity: the same fact at another line is the same finding.
  const moved = report('a', [{ ...finding('BH018', 'web', 'medium'), location: { path: 'Path.BH018', file: 'x', line: 9, column: 1 } }]);
  assert.equal(mergeFindings([early, moved]).length, 2);
});

test('merge: suppressed findings are merged by fingerprint and host like reported ones, the later report deciding which it is', () => {
  const monday: ReportDocument = { ...report('a', [finding('BH001', 'web', 'critical')]), suppressed: [ignored(finding('BH018', 'web', 'medium'))], suppressedCount: 1 };
  // Tuesday the memory limit is still ignored, and privileged is ignored too.
  const tuesday: ReportDocument = { ...report('a', []), suppressed: [ignored(finding('BH001', 'web', 'critical')), ignored(finding('BH018', 'web', 'medium'))], suppressedCount: 2 };
  const merged = mergeFindings([monday, tuesday]);
  assert.equal(merged.length, 2);
  assert.ok(merged.every((m) => m.suppression?.kind === 'config'), 'Tuesday suppressed both');
  const back = mergeFindings([tuesday, monday]);
  assert.deepEqual(back.map((m) => [m.finding.ruleId, m.suppression === undefined]).sort(), [['BH001', true], ['BH018', false]], 'in the other order Monday decides');
  assert.deepEqual(hostsOf([{ ...report('b', []), suppressed: [ignored(finding('BH001', 'web', 'high', { subject: { kind: 'container', name: 'web', host: { name: 'node-9' } } }))], suppressedCount: 1 }]), ['node-9'], 'a host whose findings were all suppressed is still a host');
  assert.throws(() => mergeFindings([{ ...report('a', [], 'a.json'), suppressed: [ignored(finding('BH001', 'web', 'bad'))], suppressedCount: 1 }]), /a\.json: suppressed\[0\] has no valid severity/);
});

test('merge: a finding without a valid severity is an InputError naming the file', () => {
  assert.throws(() => mergeFindings([report('a', [finding('BH001', 'web', 'severe')], 'hosts/a.json')]), (e: Error) => e instanceof InputError && /hosts\/a\.json: findings\[0\]/.test(e.message));
});

test('summary: rules by how many hosts they fail on, hosts with no findings counted, worst hosts by severity first', () => {
  const reports = [
    report('a', [finding('BH001', 'web', 'critical'), finding('BH018', 'web', 'medium'), finding('BH018', 'db', 'medium')]),
    report('b', [finding('BH018', 'api', 'medium'), finding('BH019', 'api', 'low'), finding('BH019', 'x', 'low'), finding('BH019', 'y', 'low')]),
    report('clean', []),
  ];
  const merged = mergeFindings(reports);
  const s = fleetSummary(merged, hostsOf(reports));
  assert.equal(s.hosts, 3);
  assert.deepEqual(s.rules.map((r) => [r.ruleId, r.hosts]), [['BH018', 2], ['BH001', 1], ['BH019', 1]]);
  assert.deepEqual(s.worstHosts.map((h) => [h.host, h.critical, h.medium, h.low, h.total]), [['a', 1, 2, 0, 3], ['b', 0, 1, 3, 4], ['clean', 0, 0, 0, 0]]);
  assert.equal(s.changes, undefined, 'no --previous, no changes');
});

test('summary: at most WORST_HOSTS worst hosts', () => {
  const reports = Array.from({ length: WORST_HOSTS + 3 }, (_, i) => report(`h${i}`, Array.from({ length: i }, (_, j) => finding('BH018', `c${j}`, 'medium'))));
  const s = fleetSummary(mergeFindings(reports), hostsOf(reports));
  assert.equal(s.hosts, WORST_HOSTS + 3);
  assert.equal(s.worstHosts.length, WORST_HOSTS);
  assert.equal(s.worstHosts[0]!.host, `h${WORST_HOSTS + 2}`);
});

test('changes: new and fixed by fingerprint and host, not by message or severity', () => {
  const before = mergeFindings([report('a', [finding('BH001', 'web', 'critical'), finding('BH018', 'web', 'medium')]), report('b', [finding('BH001', 'web', 'critical')])]);
  const after = mergeFindings([report('a', [{ ...finding('BH001', 'web', 'high'), message: 'reworded' }]), report('b', [finding('BH001', 'web', 'critical'), finding('BH019', 'web', 'low')])]);
  const c = changesSince(after, before);
  assert.deepEqual(c.new.map((x) => [x.host, x.ruleId, x.subject, x.path]), [['b', 'BH019', 'container web', 'Path.BH019']]);
  assert.deepEqual(c.fixed.map((x) => [x.host, x.ruleId]), [['a', 'BH018']]);
  assert.deepEqual(fleetSummary(after, ['a', 'b'], before).changes, c);
});
