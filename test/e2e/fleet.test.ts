/**
 * `audit` of a fleet: two private engines of this test's own plus the main
 * test engine, each with a container sharing the host's PID namespace
 * (BH004), audited from one command.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { engineTest, repoRoot, runCli, TEST_IMAGE } from '../support/env.js';

interface JsonFinding {
  ruleId: string;
  subject: { kind: string; name: string; id?: string; host?: { name: string; id: string } };
  location: { path: string };
}
interface JsonReport {
  findings: JsonFinding[];
  notes: string[];
}

/** A private engine of this test's own, with its own key (so its own engine ID), stopped in t.after. */
function ownEngine(t: TestContext, n: number): { host: string; run: (args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fleet-engine.'));
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: 'ignore' });
  });
  // Every engine on this machine would read /etc/docker/key.json, whose key is the engine's ID: give each its own.
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  // Its network gets an address pool of its own: the default pools run out when several engines run on one machine.
  const pool = `--default-address-pool base=10.${200 + (process.pid % 25) * 2 + n}.0.0/16,size=24 --config-file ${join(dir, 'daemon.json')}`;
  const host = execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKERD_EXTRA_ARGS: pool } }).trim();
  return { host, run: (args) => execFileSync('docker', ['-H', host, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() };
}

const infoOf = (host: string) => {
  const [name, id] = execFileSync('docker', ['-H', host, 'info', '--format', '{{.Name}} {{.ID}}'], { encoding: 'utf8' }).trim().split(' ');
  return { name: name!, id: id! };
};

/** What a finding is, across runs: the rule, the subject (with its engine) and the fact. */
const identity = (f: JsonFinding) => `${f.ruleId} ${f.subject.kind} ${f.subject.name} ${f.subject.id ?? ''} ${f.subject.host?.id ?? '-'} ${f.location.path}`;

function json(args: string[]): { code: number; report: JsonReport; stderr: string } {
  const r = runCli(['audit', '-f', 'json', '-q', ...args]);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

engineTest('audit of a fleet: --host twice, --hosts-file, --parallel 1, an unreachable and a silent engine, text headers', async (t, mainHost) => {
  const a = ownEngine(t, 0);
  const b = ownEngine(t, 1);
  // The same name on both engines: subject.host is what tells them apart.
  for (const e of [a, b]) e.run(['run', '-d', '--name', 'web', '--pid', 'host', TEST_IMAGE, 'sleep', '600']);
  const mainName = `fleet-main-${process.pid}`;
  execFileSync('docker', ['-H', mainHost, 'run', '-d', '--name', mainName, '--pid', 'host', TEST_IMAGE, 'sleep', '600'], { stdio: 'ignore' });
  t.after(() => execFileSync('docker', ['-H', mainHost, 'rm', '-f', mainName], { stdio: 'ignore' }));
  const infoA = infoOf(a.host);
  const infoB = infoOf(b.host);
  const infoMain = infoOf(mainHost);
  assert.notEqual(infoA.id, infoB.id, 'the test engines must have IDs of their own');

  const hostPid = (r: JsonReport, name: string) => r.findings.filter((f) => f.ruleId === 'BH004' && f.subject.name === name);

  await t.test('--host A --host B: findings of both, each with its engine\'s name and ID from /info', () => {
    const { code, report } = json(['--host', a.host, '--host', b.host]);
    assert.equal(code, 1);
    const web = hostPid(report, 'web');
    assert.equal(web.length, 2);
    assert.deepEqual(web.map((f) => f.subject.host).sort((x, y) => x!.id.localeCompare(y!.id)), [infoA, infoB].sort((x, y) => x.id.localeCompare(y.id)));
    assert.ok(report.findings.every((f) => f.subject.host !== undefined && [infoA.id, infoB.id].includes(f.subject.host.id)), 'every finding names its engine');
    assert.ok(report.notes.some((n) => n.includes('the host, daemon and files sections') && n.includes('skipped')));
  });

  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fleet.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const hostsFile = join(dir, 'fleet.txt');
  writeFileSync(hostsFile, `# the test fleet\n\n${a.host}   # engine A\n#${b.host} is listed below\n${b.host}\n\n${mainHost}\n`);

  // Other tests start and remove containers on the main engine meanwhile: its findings are compared for this test's container only.
  const stable = (r: JsonReport) => r.findings.filter((f) => f.subject.host?.id !== infoMain.id || f.subject.name === mainName);
  let all: string[] = [];
  await t.test('--hosts-file with comments and blank lines: the three engines', () => {
    const { code, report } = json(['--hosts-file', hostsFile]);
    assert.equal(code, 1);
    assert.equal(hostPid(report, 'web').length, 2);
    assert.deepEqual(hostPid(report, mainName).map((f) => f.subject.host), [infoMain]);
    all = stable(report).map(identity).sort();
  });

  await t.test('--parallel 1 gives the same findings', () => {
    const { code, report } = json(['--hosts-file', hostsFile, '--parallel', '1']);
    assert.equal(code, 1);
    assert.deepEqual(stable(report).map(identity).sort(), all);
  });

  await t.test('an unreachable engine: exit 3, a note naming it, the others\' findings reported', () => {
    const missing = `unix://${join(dir, 'no-such.sock')}`;
    const { code, report, stderr } = json(['--host', a.host, '--host', missing, '--host', b.host]);
    assert.equal(code, 3);
    assert.equal(hostPid(report, 'web').length, 2);
    assert.ok(report.notes.some((n) => n.includes(missing) && n.includes('no such socket') && n.includes('not audited')), report.notes.join('\n'));
    assert.equal(stderr.trim().split('\n').at(-1), `bulkhead: 1 of 3 engines could not be audited: ${missing}`);
  });

  await t.test('an engine that accepts and never answers: --timeout ends it, the others complete', async (st) => {
    const sock = join(dir, 'silent.sock');
    // A process of its own: runCli blocks this one until the audit ends.
    const silent = spawn(process.execPath, ['-e', `require('net').createServer(() => {}).listen(${JSON.stringify(sock)}, () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    st.after(() => silent.kill());
    await new Promise<void>((resolve) => silent.stdout.once('data', () => resolve()));
    const { code, report } = json(['--host', a.host, '--host', `unix://${sock}`, '--timeout', '1']);
    assert.equal(code, 3);
    assert.equal(hostPid(report, 'web').length, 1);
    assert.ok(report.notes.some((n) => n.includes(`unix://${sock}`) && n.includes('no answer within 1 s')), report.notes.join('\n'));
  });

  await t.test('text: a header per engine, each with its own `web`', () => {
    const r = runCli(['audit', '-q', '--host', a.host, '--host', b.host]);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    const headers = lines.filter((l) => l.startsWith('== engine '));
    assert.deepEqual(headers.sort(), [`== engine ${infoA.name} ${infoA.id} ==`, `== engine ${infoB.name} ${infoB.id} ==`].sort());
    for (const h of headers) {
      const start = lines.indexOf(h);
      const next = lines.findIndex((l, i) => i > start && l.startsWith('== engine '));
      const section = lines.slice(start, next < 0 ? undefined : next);
      assert.ok(section.some((l) => l.startsWith('web ') && l.includes('(container)')), `no web under ${h}`);
      assert.ok(section.some((l) => l.includes('BH004')), `no BH004 under ${h}`);
    }
  });

  await t.test('sarif: the engine is in the message and the logical location, and engines of one machine share a fingerprint (it holds the engine name, not the ID)', () => {
    const r = runCli(['audit', '-q', '-f', 'sarif', '--host', a.host, '--host', b.host]);
    assert.equal(r.code, 1);
    type Result = { ruleId: string; message: { text: string }; locations: { logicalLocations: { fullyQualifiedName: string }[] }[]; partialFingerprints: Record<string, string> };
    const results = (JSON.parse(r.stdout) as { runs: { results: Result[] }[] }).runs[0]!.results.filter((x) => x.ruleId === 'BH004' && x.message.text.startsWith('web on '));
    assert.equal(results.length, 2);
    for (const x of results) assert.equal(x.locations[0]!.logicalLocations[0]!.fullyQualifiedName, `${infoA.name}/container/web/HostConfig.PidMode`);
    // Both engines run on this machine, so both are named after it: the fingerprint holds the name, not the ID, and is the same.
    assert.equal(new Set(results.map((x) => x.partialFingerprints['bulkhead/v1'])).size, 1);
  });

  await t.test('html: a header per engine', () => {
    const r = runCli(['audit', '-q', '-f', 'html', '--host', a.host, '--host', b.host]);
    assert.equal(r.code, 1);
    const headers = [...r.stdout.matchAll(/<h3 class="engine">([^<]*)<\/h3>/g)].map((m) => m[1]);
    assert.deepEqual(headers.sort(), [`engine ${infoA.name} ${infoA.id}`, `engine ${infoB.name} ${infoB.id}`].sort());
  });

  await t.test('junit, read back by xmllint: a suite per engine\'s `web`, led by its engine and with a host property', () => {
    const out = join(dir, 'fleet.xml');
    const r = runCli(['audit', '-q', '-f', 'junit', '-o', out, '--host', a.host, '--host', b.host]);
    assert.equal(r.code, 1, r.stderr);
    const xpath = (expression: string) => execFileSync('xmllint', ['--xpath', expression, out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    for (const info of [infoA, infoB]) {
      const label = `${info.name} ${info.id}`;
      const suite = `/testsuites/testsuite[@name='${label}: web (container)']`;
      assert.equal(xpath(`count(${suite})`), '1', label);
      assert.equal(xpath(`string(${suite}/properties/property[@name='host']/@value)`), label);
      assert.equal(xpath(`count(${suite}/testcase[@classname='${label}: web' and @name='BH004 host-pid']/failure)`), '1', label);
    }
    assert.equal(xpath("count(//testcase[@classname='web'])"), '0', 'every test case names its engine');
    assert.equal(xpath('string(/testsuites/@failures)'), xpath('count(//testcase[failure])'));
  });

  await t.test('docker-bench: the 5.16 WARN lists each engine\'s `web` with its engine', () => {
    const r = runCli(['audit', '-q', '-f', 'docker-bench', '--host', a.host, '--host', b.host]);
    assert.equal(r.code, 1, r.stderr);
    type Log = { tests: { results: { id: string; result: string; items?: string[]; details?: string }[] }[] };
    const warn = (JSON.parse(r.stdout) as Log).tests.flatMap((x) => x.results).find((x) => x.id === '5.16')!;
    assert.equal(warn.result, 'WARN');
    assert.deepEqual(warn.items!.filter((i) => i.startsWith('web ')).sort(), [`web on ${infoA.name} ${infoA.id}`, `web on ${infoB.name} ${infoB.id}`].sort());
    for (const info of [infoA, infoB]) assert.ok(warn.details!.includes(`web on ${info.name} ${info.id}: `), warn.details);
  });
});

test('audit --hosts-file: a bad line is exit 2 naming FILE:LINE, before any engine is asked', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fleet.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fleet.txt');
  writeFileSync(file, '# fleet\nunix:///nonexistent-a.sock\n\nftp://wrong\n');
  const r = runCli(['audit', '--hosts-file', file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), `bulkhead: ${file}:4: unsupported Docker host "ftp://wrong" (from --hosts-file): expected unix://, tcp:// or ssh://`);
});
