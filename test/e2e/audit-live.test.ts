/**
 * End to end against the private engine: containers started with risky
 * options and one hardened container, audited through the CLI, live and from
 * `docker inspect` output, which must agree.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, engineHost, engineTest, runCli, TEST_IMAGE, TEST_NETWORK } from '../support/env.js';

interface JsonFinding {
  ruleId: string;
  message: string;
  ruleName: string;
  severity: string;
  references: string[];
  subject: { kind: string; name: string; id?: string };
  location: { path: string; file?: string; line?: number; column?: number };
}

const P = `e2e-live-${process.pid}`;
const names = { risky: `${P}-risky`, privileged: `${P}-privileged`, hardened: `${P}-hardened`, sshd: `${P}-sshd` };
let workdir = '';

before(() => {
  if (!engineHost) return;
  workdir = mkdtempSync(join(tmpdir(), 'bulkhead-e2e-'));
  const socket = new URL(engineHost).pathname;
  docker(['run', '-d', '--name', names.risky, '--cap-add', 'SYS_ADMIN', '--pid', 'host', '--ipc', 'host', '--uts', 'host',
    '-v', '/etc:/host-etc', '-v', `${socket}:/var/run/docker.sock`, '--security-opt', 'seccomp=unconfined',
    '--device', '/dev/null:/dev/xnull', TEST_IMAGE, 'sleep', '3600']);
  docker(['create', '--name', names.privileged, '--privileged', TEST_IMAGE, 'sleep', '3600']);
  docker(['run', '-d', '--name', names.hardened, '--user', '65534:65534', '--cap-drop', 'ALL', '--read-only',
    '--security-opt', 'no-new-privileges', '-m', '64m', '--cpu-shares', '512', '--pids-limit', '64',
    '--health-cmd', 'true', '--restart', 'on-failure:3', '--network', TEST_NETWORK, TEST_IMAGE, 'sleep', '3600']);
  docker(['run', '-d', '--name', names.sshd, TEST_IMAGE, '/usr/sbin/sshd']);
});

after(() => {
  if (!engineHost) return;
  docker(['rm', '-f', ...Object.values(names)]);
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function audit(args: string[]): { code: number; findings: JsonFinding[]; subjects: number; stderr: string } {
  const r = runCli(['audit', '-H', engineHost!, '-f', 'json', '--fail-on', 'none', ...args]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { schemaVersion: number; findings: JsonFinding[]; summary: { subjects: number } };
  assert.equal(doc.schemaVersion, 1);
  const ours = new Set<string>(Object.values(names));
  return { code: r.code, findings: doc.findings.filter((f) => ours.has(f.subject.name)), subjects: doc.summary.subjects, stderr: r.stderr };
}

const rulesOf = (findings: JsonFinding[], name: string) => new Set(findings.filter((f) => f.subject.name === name).map((f) => f.ruleName));

engineTest('live audit finds every risky option of a running container', () => {
  const { findings } = audit(['--all']);
  const risky = rulesOf(findings, names.risky);
  for (const rule of ['capabilities-added', 'host-pid', 'host-ipc', 'host-uts', 'sensitive-host-path', 'docker-socket-mounted', 'seccomp-unconfined', 'host-device', 'runs-as-root', 'no-memory-limit', 'no-pids-limit', 'no-new-privileges-unset', 'writable-root-filesystem']) {
    assert.ok(risky.has(rule), `risky container: expected ${rule}, got ${[...risky].join(', ')}`);
  }
  const socket = findings.find((f) => f.subject.name === names.risky && f.ruleName === 'docker-socket-mounted')!;
  assert.equal(socket.severity, 'critical');
  assert.ok(socket.references.includes('CIS-5.32'));
  assert.match(socket.location.path, /^Mounts\[\d+\]$/);
  assert.equal(socket.location.file, undefined, 'live findings come from no file');
});

engineTest('a created privileged container is audited with --all, and only then', () => {
  assert.ok(rulesOf(audit(['--all']).findings, names.privileged).has('privileged-container'));
  assert.equal(rulesOf(audit([]).findings, names.privileged).size, 0);
});

engineTest('the hardened container has no finding above info', () => {
  const hardened = audit(['--all']).findings.filter((f) => f.subject.name === names.hardened);
  assert.deepEqual(hardened.filter((f) => f.severity !== 'info').map((f) => `${f.ruleName}: ${f.severity}`), []);
});

engineTest('sshd is found from the process list, without docker exec', () => {
  const sshd = audit([]).findings.filter((f) => f.subject.name === names.sshd && f.ruleName === 'sshd-running');
  assert.equal(sshd.length, 1);
  assert.equal(rulesOf(audit([]).findings, names.risky).has('sshd-running'), false);
});

engineTest('live and --inspect audits of the same containers agree', () => {
  const live = audit(['--all']).findings;
  const file = join(workdir, 'inspect.json');
  writeFileSync(file, docker(['inspect', ...Object.values(names)]));
  const r = runCli(['audit', '--inspect', file, '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const offline = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  // Offline there is no process list and no daemon: rules that read those are left out of the comparison.
  const liveOnly = new Set(['sshd-running', 'swarm-mode-enabled']);
  // The engine builds `Mounts` from a map: its order differs between two inspects of the same container.
  // Messages may differ where the live audit knows the daemon; a mount is named by its message, which names its paths.
  const where = (f: JsonFinding) => (/^Mounts\[\d+\]/.test(f.location.path) ? f.message : f.location.path);
  const key = (f: JsonFinding) => `${f.subject.name} ${f.ruleId} ${where(f)} ${f.severity}`;
  const a = live.filter((f) => !liveOnly.has(f.ruleName)).map(key).sort();
  const b = offline.filter((f) => !liveOnly.has(f.ruleName)).map(key).sort();
  assert.deepEqual(b, a);
  assert.ok(offline.every((f) => f.location.file && f.location.line! >= 1 && f.location.column! >= 1), 'offline findings carry file:line:column');
});

engineTest('the gate: exit 1 with findings at or above --fail-on, 0 below it', () => {
  const failing = runCli(['audit', '-H', engineHost!, '--all', '-q', '--fail-on', 'critical']);
  assert.equal(failing.code, 1, failing.stderr);
  const passing = runCli(['audit', '-H', engineHost!, '--all', '-q', '--fail-on', 'none']);
  assert.equal(passing.code, 0, passing.stderr);
  assert.equal(passing.stderr, '', '-q silences logs');
});

engineTest('a live audit names its one host (the engine\'s Name and ID), so merge knows two runs of it as one host', () => {
  const [name, id] = docker(['info', '--format', '{{.Name}} {{.ID}}']).trim().split(' ');
  const reports = [['--sections', 'containers'], ['--sections', 'containers', '--all']].map((args, i) => {
    const r = runCli(['audit', '-H', engineHost!, '-f', 'json', '--fail-on', 'none', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { target: string; host?: { name: string; id?: string } };
    assert.deepEqual(doc.host, { name, id });
    assert.deepEqual(Object.keys(doc).slice(0, 4), ['schemaVersion', 'tool', 'target', 'host']);
    const file = join(workdir, `run-${i}.json`);
    writeFileSync(file, r.stdout);
    return { file, target: doc.target };
  });
  assert.notEqual(reports[0]!.target, reports[1]!.target, 'the two runs have different targets');
  const m = runCli(['merge', reports[0]!.file, reports[1]!.file, '-f', 'json', '--fail-on', 'none']);
  assert.equal(m.code, 0, m.stderr);
  const merged = JSON.parse(m.stdout) as { fleet: { hosts: number; worstHosts: { host: string }[] }; findings: { subject: { host?: { name: string } } }[] };
  assert.equal(merged.fleet.hosts, 1);
  assert.deepEqual(merged.fleet.worstHosts.map((h) => h.host), [name]);
  assert.ok(merged.findings.every((f) => f.subject.host?.name === name));
  const offline = runCli(['audit', '--inspect', 'test/rules/privileged-container/bad.inspect.json', '-f', 'json', '--fail-on', 'none']);
  assert.equal((JSON.parse(offline.stdout) as { host?: unknown }).host, undefined, 'an inspect file names no host');
});
