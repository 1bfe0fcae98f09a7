/**
 * JUnit and docker-bench output of a report covering two hosts: each host's
 * `web` stays its own (suite, classname, item), named with its host; a report
 * of one host is written as before (no host anywhere).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding.js';
import type { AuditReport } from '../../src/core/report.js';
import type { Rule } from '../../src/core/rule.js';
import type { Subject, SubjectHost } from '../../src/model/subject.js';
import { renderDockerBench } from '../../src/reporters/docker-bench.js';
import { renderJunit } from '../../src/reporters/junit.js';
import { RULES } from '../../src/rules/index.js';

const rule = (id: string): Rule => RULES.find((r) => r.id === id)!;
const hostPid = rule('BH004');
// Two engines of one machine: the same name, their own IDs (as two private engines here report).
const A: SubjectHost = { name: 'node-1', id: 'AAAA:1111' };
const B: SubjectHost = { name: 'node-1', id: 'BBBB:2222' };

const web = (host?: SubjectHost): Subject => ({ kind: 'container', name: 'web', id: `${host?.id ?? 'x'}-web`, ...(host ? { host } : {}) });

function finding(subject: Subject): Finding {
  return { rule: hostPid, severity: hostPid.severity, message: 'shares the host PID namespace', subject, location: { path: 'HostConfig.PidMode' }, remediation: 'remove --pid host' };
}

function report(subjects: Subject[]): AuditReport {
  const findings = subjects.map(finding);
  return {
    tool: { name: 'bulkhead', version: '0.1.0' },
    target: 'fleet of 2 engines',
    subjects,
    findings,
    counts: { info: 0, low: 0, medium: 0, high: findings.length, critical: 0 },
    gate: 'low',
    failed: true,
    notes: [],
    suppressed: [],
    showSuppressed: false,
    checked: [hostPid],
    started: Date.UTC(2026, 10, 29),
  };
}

const junit = (r: AuditReport) => [...renderJunit(r)].join('');

test('JUnit of two hosts: a suite each, led by the host label, with a host property; classnames tell the two `web` apart', () => {
  const xml = junit(report([web(A), web(B)]));
  const suites = [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(suites, ['node-1 AAAA:1111: web (container)', 'node-1 BBBB:2222: web (container)']);
  const hosts = [...xml.matchAll(/<property name="host" value="([^"]*)"\/>/g)].map((m) => m[1]);
  assert.deepEqual(hosts, ['node-1 AAAA:1111', 'node-1 BBBB:2222']);
  const failing = [...xml.matchAll(/<testcase name="BH004 host-pid" classname="([^"]*)" time="0">\n\s*<failure/g)].map((m) => m[1]);
  assert.deepEqual(failing, ['node-1 AAAA:1111: web', 'node-1 BBBB:2222: web']);
  assert.match(xml, /<testsuites name="bulkhead" tests="2" failures="2"/);
  // The report's own properties stay on the first suite only.
  assert.equal(xml.match(/<property name="target"/g)?.length, 1);
});

test('JUnit of one host: no host property, names as before', () => {
  const xml = junit(report([web()]));
  assert.doesNotMatch(xml, /name="host"/);
  assert.match(xml, /<testsuite name="web \(container\)"/);
  assert.match(xml, /<testcase name="BH004 host-pid" classname="web" time="0">/);
  assert.match(xml, /<properties>\n {6}<property name="target" value="fleet of 2 engines"\/>\n {6}<property name="bulkhead.version" value="0.1.0"\/>\n {4}<\/properties>\n/);
});

test('JUnit: the same file on two hosts (a merged report) is two suites', () => {
  const file = (host: SubjectHost): Subject => ({ kind: 'container', name: 'web', file: 'compose.yaml', host });
  const xml = junit(report([file(A), file(B)]));
  assert.deepEqual([...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => m[1]), ['node-1 AAAA:1111: compose.yaml', 'node-1 BBBB:2222: compose.yaml']);
});

interface BenchLog {
  tests: { results: { id: string; result: string; details?: string; items?: string[] }[] }[];
}
const benchOf = (r: AuditReport) => JSON.parse(renderDockerBench(r).join('')) as BenchLog;
const item = (log: BenchLog, id: string) => log.tests.flatMap((t) => t.results).find((r) => r.id === id)!;

test('docker-bench of two hosts: the WARN lists `web on HOST` once per host, and the details say which', () => {
  const log = benchOf(report([web(A), web(B)]));
  const warn = item(log, '5.16');
  assert.equal(warn.result, 'WARN');
  assert.deepEqual(warn.items, ['web on node-1 AAAA:1111', 'web on node-1 BBBB:2222']);
  assert.equal(warn.details, 'web on node-1 AAAA:1111: shares the host PID namespace; web on node-1 BBBB:2222: shares the host PID namespace');
});

test('docker-bench of one host: items are plain names', () => {
  const warn = item(benchOf(report([web()])), '5.16');
  assert.deepEqual(warn.items, ['web']);
  assert.equal(warn.details, 'web: shares the host PID namespace');
});
