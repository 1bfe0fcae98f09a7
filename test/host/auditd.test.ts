/**
 * `bulkhead auditd generate|check` on host trees (--root) and on this
 * machine's kernel (root: rules really load, and are removed after), and
 * `report` on a log the real auditd writes while the test runs.
 */
import test, { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostTree, type HostEntry } from '../support/host-tree.js';
import { cliPath, docker, engineTest, repoRoot, runCli } from '../support/env.js';
import { loadRules } from '../../src/harden/auditd/load.js';
import { holdKernelAudit } from '../support/kernel-audit.js';
import { assertRecordedEvents, reportJson } from '../support/audit-log-events.js';

/** Docker as Debian installs it; /etc/default and /run exist, /etc/sysconfig and /etc/containerd do not. */
const DEBIAN_DOCKER: Record<string, HostEntry> = {
  'etc/hostname': 'dockhost\n',
  bin: { symlink: 'usr/bin' },
  'usr/sbin/dockerd': { text: '#!dockerd', mode: 0o755 },
  'usr/bin/runc': { text: '#!runc', mode: 0o755 },
  'usr/bin/containerd': { text: '#!containerd', mode: 0o755 },
  'etc/docker/daemon.json': '{}\n',
  'etc/default/grub': '',
  'lib/systemd/system/docker.service': '[Service]\n',
  'lib/systemd/system/docker.socket': '[Socket]\n',
  'usr/lib/systemd/system/other.service': '',
  'var/lib/docker': { dir: true, mode: 0o710 },
  'run/containerd': { dir: true },
  'etc/audit/rules.d': { dir: true },
};

/** What generate gives for that tree: objects where they are, missing ones where the benchmark puts them. */
const DEBIAN_WATCHES = [
  '/usr/sbin/dockerd',
  '/run/containerd',
  '/var/lib/docker',
  '/etc/docker',
  '/lib/systemd/system/docker.service',
  '/run/containerd/containerd.sock',
  '/lib/systemd/system/docker.socket',
  '/etc/default/docker',
  '/etc/docker/daemon.json',
  '/usr/bin/containerd',
  '/usr/bin/containerd-shim',
  '/usr/bin/containerd-shim-runc-v1',
  '/usr/bin/containerd-shim-runc-v2',
  '/usr/bin/runc',
];

const NO_ENGINE = ['-H', 'unix:///nonexistent/docker.sock'];
const rulesOf = (text: string) => text.split('\n').filter((l) => l.startsWith('-w '));

test('generate --root: a watch for every CIS path whose folder exists, as host paths; the others skipped with the reason', (t) => {
  const root = hostTree(t, DEBIAN_DOCKER);
  const r = runCli(['auditd', 'generate', '--root', root, ...NO_ENGINE]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(rulesOf(r.stdout), DEBIAN_WATCHES.map((p) => `-w ${p} -p rwxa -k docker`));
  assert.match(r.stdout, /^# CIS 1\.1\.3: the Docker daemon\n-w \/usr\/sbin\/dockerd /m);
  assert.match(r.stdout, /^# CIS 1\.1\.10: .*not on this host yet/m);
  assert.match(r.stderr, /skipped CIS 1\.1\.13 \/etc\/sysconfig\/docker .*: its folder \/etc\/sysconfig does not exist, and the kernel refuses a watch there/);
  assert.match(r.stderr, /skipped CIS 1\.1\.12 \/etc\/containerd\/config\.toml/);
  assert.match(r.stderr, /CIS 1\.1\.5 is taken as \/var\/lib\/docker/, 'no engine: the default root dir, said');
  assert.match(r.stderr, /would write 14 rules to \/etc\/audit\/rules\.d\/docker\.rules under .*: run with --install/);
  assert.ok(!r.stdout.includes(root), 'no rule names the --root folder');
  assert.ok(!existsSync(join(root, 'etc/audit/rules.d/docker.rules')), 'nothing written without --install');
});

test('generate --install --root: the file written atomically, 0640, not loaded; a different file is shown as a diff and replaced only with --install', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': '-w /usr/sbin/dockerd -p x -k docker\n' });
  const file = join(root, 'etc/audit/rules.d/docker.rules');
  const dry = runCli(['auditd', 'generate', '--root', root, ...NO_ENGINE]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /^--w \/usr\/sbin\/dockerd -p x -k docker$/m, 'the diff removes the old line');
  assert.match(dry.stderr, /^\+-w \/usr\/sbin\/dockerd -p rwxa -k docker$/m);
  assert.match(dry.stderr, /replacing it \(diff above\)/);
  assert.equal(readFileSync(file, 'utf8'), '-w /usr/sbin/dockerd -p x -k docker\n', 'unchanged without --install');

  const r = runCli(['auditd', 'generate', '--root', root, '--install', ...NO_ENGINE]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(file, 'utf8'), r.stdout);
  assert.equal(statSync(file).mode & 0o777, 0o640);
  assert.match(r.stderr, /wrote 14 rules to .* \(mode 0640\)/);
  assert.match(r.stderr, /not loaded: under --root/);

  const again = runCli(['auditd', 'generate', '--root', root, '--install', ...NO_ENGINE]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already holds these rules/);
  assert.doesNotMatch(again.stderr, /^[-+]-w /m, 'no diff once written');

  const other = runCli(['auditd', 'generate', '--root', root, '--install', '--rules-file', '/etc/audit/rules.d/nope/x.rules', ...NO_ENGINE]);
  assert.equal(other.code, 2, 'a folder that does not exist: a usage error');
  assert.match(other.stderr, /^bulkhead: cannot write .*x\.rules: ENOENT$/m);
});

interface CheckJson {
  rows: { item: string; path: string; exists: boolean; loaded: { state: string; why?: string }; configured: { state: string; permissions?: string } }[];
  exitCode: number;
}

function checkJson(root: string): { code: number; doc: CheckJson; stderr: string } {
  const r = runCli(['auditd', 'check', '--root', root, '-f', 'json', ...NO_ENGINE]);
  return { code: r.code, doc: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

/** The real paths BH049 reports for a tree, as `audit --sections host` says them. */
function bh049Paths(root: string): string[] {
  const r = runCli(['audit', '--root', root, '--sections', 'host', '-f', 'json', '--fail-on', 'none', ...NO_ENGINE]);
  assert.equal(r.code, 0, r.stderr);
  const findings = (JSON.parse(r.stdout) as { findings: { ruleName: string; message: string }[] }).findings.filter((f) => f.ruleName === 'docker-path-not-audited');
  return findings.map((f) => {
    const m = /^CIS 1\.1\.\d+: ([^\s,]+)(?: \(really ([^\s,)]+)\))?/.exec(f.message)!;
    return m[2] ?? m[1]!;
  }).sort();
}

/** Watches that cover some paths fully, some in part, one through a recursive folder watch. */
const SOME_RULES = [
  '-w /usr/sbin/dockerd -p wa -k docker', // covered
  '-w /usr/bin/runc -p x -k docker', // executions only: partial
  '-w /etc/docker -p rwxa', // recursive: /etc/docker and daemon.json below it
  '-a always,exit -F path=/usr/bin/containerd -F perm=wa -F auid>=1000 -k docker', // narrowed to some users: not a watch
].join('\n');

test('check --root: configured column as BH049 judges it (the same paths reported), exit 1; after generate --install, 0', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/10-some.rules': `${SOME_RULES}\n` });
  const { code, doc, stderr } = checkJson(root);
  assert.equal(code, 1, stderr);
  assert.equal(doc.exitCode, 1);
  const state = new Map(doc.rows.map((r) => [r.path, r.configured.state]));
  assert.equal(state.get('/usr/sbin/dockerd'), 'yes');
  assert.equal(state.get('/usr/bin/runc'), 'partial');
  assert.equal(state.get('/etc/docker/daemon.json'), 'yes', 'the folder watch above it covers it');
  assert.equal(state.get('/usr/bin/containerd'), 'no');
  assert.ok(doc.rows.every((r) => r.loaded.state === 'unknown' && /--root/.test(r.loaded.why ?? '')), 'the kernel is not asked about another root');
  const notCovered = doc.rows.filter((r) => r.exists && r.configured.state !== 'yes').map((r) => r.path).sort();
  assert.deepEqual(notCovered, bh049Paths(root), 'check and the audit name the same paths');
  assert.ok(notCovered.length >= 5);

  const text = runCli(['auditd', 'check', '--root', root, ...NO_ENGINE]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^1\.1\.18 +\/usr\/bin\/runc +unknown +partial \(x\)$/m);
  assert.match(text.stdout, /paths are not watched for content and owner\/mode changes/);

  const installed = runCli(['auditd', 'generate', '--root', root, '--install', ...NO_ENGINE]);
  assert.equal(installed.code, 0, installed.stderr);
  const after = checkJson(root);
  assert.equal(after.code, 0, JSON.stringify(after.doc.rows.filter((r) => r.configured.state !== 'yes')));
  assert.deepEqual(bh049Paths(root), [], 'the audit agrees: nothing left to report');
});

test('check --root: -a never,task turns every watch off, for check as for BH049', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': '-a never,task\n-w /usr/sbin/dockerd -p wa\n' });
  const { code, doc } = checkJson(root);
  assert.equal(code, 1);
  assert.ok(doc.rows.every((r) => r.configured.state === 'no'));
  assert.deepEqual(doc.rows.filter((r) => r.exists).map((r) => r.path).sort(), bh049Paths(root));
});

// ---------------------------------------------------------------- the real kernel and auditd

const AUDITCTL = ['/usr/sbin/auditctl', '/sbin/auditctl'].find((p) => existsSync(p)) ?? 'auditctl';
const auditctl = (args: readonly string[]) => {
  const r = spawnSync(AUDITCTL, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
};
const canAudit = process.getuid?.() === 0 && spawnSync(AUDITCTL, ['-s']).status === 0;

/** A test that needs root and the kernel's audit; it holds the machine's audit rules while it runs. */
function kernelTest(name: string, fn: (t: TestContext) => void | Promise<void>): void {
  test(name, async (t) => {
    if (!canAudit) {
      if (process.env['BULKHEAD_REQUIRE_ENGINE'] === '1') throw new Error('BULKHEAD_REQUIRE_ENGINE=1 but auditctl cannot run (needs root and auditd)');
      process.stderr.write(`\n*** SKIPPED (no auditctl or not root): ${name}\n`);
      t.skip('needs root and auditctl');
      return;
    }
    holdKernelAudit(t);
    await fn(t);
  });
}

kernelTest('generate --install on /: the rules file written and loaded into the kernel (twice: the same rules), check sees them loaded; removed after', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-rules.'));
  const file = join(dir, 'docker.rules');
  let rules: string[] = [];
  t.after(() => {
    for (const rule of rules) auditctl(['-W', ...rule.split(' ').slice(1)]);
    rmSync(dir, { recursive: true, force: true });
    const left = auditctl(['-l']).out;
    for (const rule of rules) assert.ok(!left.includes(rule), `${rule} was removed`);
  });
  const before = auditctl(['-l']).out;
  const r = runCli(['auditd', 'generate', '--install', '--rules-file', file]);
  rules = rulesOf(r.stdout).filter((rule) => !before.includes(rule)); // only what this test added is removed
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`loaded into the kernel with auditctl -R ${file}`));
  assert.equal(readFileSync(file, 'utf8'), r.stdout);
  const loaded = auditctl(['-l']).out;
  for (const rule of rulesOf(r.stdout)) assert.ok(loaded.includes(rule), `${rule} is in auditctl -l:\n${loaded}`);

  const again = runCli(['auditd', 'generate', '--install', '--rules-file', file]);
  assert.equal(again.code, 0, `a second install must not fail on "Rule exists": ${again.stderr}`);

  const c = runCli(['auditd', 'check', '-f', 'json']);
  const doc = JSON.parse(c.stdout) as CheckJson;
  assert.ok(doc.rows.length > 0);
  for (const row of doc.rows) assert.equal(row.loaded.state, 'yes', `${row.path} loaded`);
  // The file is not in /etc/audit/rules.d: not configured for the next boot, so the check still fails.
  assert.equal(c.code, doc.rows.every((row) => row.configured.state === 'yes') ? 0 : 1);
});

kernelTest('report on a log the real auditd writes now: the events of known actions on watched files', (t) => {
  const pid = /^pid (\d+)$/m.exec(auditctl(['-s']).out)?.[1];
  if (pid !== '0') {
    t.skip(`an auditd (pid ${pid}) already runs; only one can, and it is not ours to stop`);
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'bulkhead-livelog.'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const rec = spawnSync('bash', [join(repoRoot, 'scripts', 'record-audit-log.sh'), out], { encoding: 'utf8' });
  assert.equal(rec.status, 0, rec.stderr + rec.stdout);
  assert.match(auditctl(['-s']).out, /^pid 0$/m, 'our auditd is gone');
  const dir = readFileSync(join(out, 'watched-dir'), 'utf8').trim();
  assertRecordedEvents(reportJson(t, join(out, 'audit.log')), dir);
});

test('check as a user who may not read the kernel\'s rules: every path unknown, exit 3', (t) => {
  if (process.getuid?.() !== 0) {
    const r = runCli(['auditd', 'check', ...NO_ENGINE]);
    assert.equal(r.code, 3, r.stderr);
    return;
  }
  // As root, drop to nobody for the run, as an ordinary user would run it.
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliPath, 'auditd', 'check', '-f', 'json', ...NO_ENGINE], { encoding: 'utf8' });
  if (r.error) return t.skip(`setpriv: ${r.error.message}`);
  assert.equal(r.status, 3, r.stderr);
  const doc = JSON.parse(r.stdout) as CheckJson & { loadedUnreadable: string };
  assert.match(doc.loadedUnreadable, /auditctl -l failed|not installed/);
  assert.ok(doc.rows.every((row) => row.loaded.state === 'unknown'));
});

kernelTest('loading a file auditctl -R refuses a line of: the line named, the rules after it not loaded', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-rules.'));
  const key = `bulkhead-test-${process.pid}`;
  t.after(() => {
    auditctl(['-D', '-k', key]);
    rmSync(dir, { recursive: true, force: true });
    assert.doesNotMatch(auditctl(['-l']).out, new RegExp(key));
  });
  const lines = [`-w ${dir}/a -p rwxa -k ${key}`, `-w ${dir}/missing/b -p rwxa -k ${key}`, `-w ${dir}/c -p rwxa -k ${key}`];
  const text = lines.join('\n') + '\n';
  writeFileSync(join(dir, 'x.rules'), text);
  const r = await loadRules(join(dir, 'x.rules'), text, false, []);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.why : '', new RegExp(`^line 2 \\(-w ${dir}/missing/b -p rwxa -k ${key}\\) was refused, and the rules after it were not loaded: .*No such file or directory`));
  const loaded = auditctl(['-l']).out;
  assert.ok(loaded.includes(lines[0]!) && !loaded.includes(`${dir}/c`), loaded);
});

engineTest('generate -H: the Docker root dir is the engine\'s DockerRootDir, not the default', (_t, host) => {
  const rootDir = docker(['info', '--format', '{{.DockerRootDir}}']);
  const r = runCli(['auditd', 'generate', '-H', host]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^# CIS 1\\.1\\.5: the Docker root dir\\n-w ${realpathSync(rootDir)} -p rwxa -k docker$`, 'm'));
  assert.doesNotMatch(r.stderr, /is taken as \/var\/lib\/docker/);
});
