/**
 * The daemon section (CIS 2.x) through the real CLI:
 * - host trees (audit --root) whose /proc holds a dockerd (comm, cmdline,
 *   status as the kernel writes them) and whose /etc/docker holds a
 *   daemon.json, for a bad and a good case of every rule and for what breaks
 *   (malformed files, vanished and garbage processes); no engine answers
 *   there, so the audit ends with exit 3 after reporting the host;
 * - the recorded command line and GET /info of the private engines;
 * - the private engine of the test set-up, and a second private dockerd
 *   started here with hardening flags and a daemon.json.
 */
import test from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { engineHost, engineTest, repoRoot, runCli } from '../support/env.js';
import { hostTree, type HostEntry } from '../support/host-tree.js';
import { collectDaemon } from '../../src/inputs/host/daemon-config.js';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';
import { HostRoot } from '../../src/linux/host-root.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { Workload } from '../../src/model/workload.js';

interface JsonFinding {
  ruleName: string;
  severity: string;
  message: string;
  references: string[];
  subject: { kind: string; name: string };
  location: { path: string; file?: string; line?: number; column?: number };
}
interface Audit {
  code: number;
  findings: JsonFinding[];
  notes: string[];
  stderr: string;
}

/** Recorded from the private engines by scripts/record-daemon.sh. */
const recorded = (name: string): unknown => JSON.parse(readFileSync(join(repoRoot, 'test', 'host', 'daemon-recorded', name), 'utf8'));

/** The socket the trees' dockerd listens on; nothing listens there, so the audit reads only the tree. */
const SOCK = '/run/bulkhead-daemon-test/docker.sock';
const PID = 4242;

/** A dockerd's argv serving SOCK. */
const dockerd = (...args: string[]) => ['/usr/sbin/dockerd', '-H', `unix://${SOCK}`, ...args];

interface Proc {
  readonly pid?: number;
  /** NUL-joined as /proc/PID/cmdline; a string is written as is (garbage). */
  readonly argv: readonly string[] | string;
  readonly uid?: number;
  readonly environ?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** A host root with these dockerd processes in its /proc, and these files. */
function daemonHost(t: TestContext, procs: readonly Proc[], files: Readonly<Record<string, HostEntry>> = {}): string {
  const entries: Record<string, HostEntry> = { 'etc/hostname': 'treehost\n', ...files };
  for (const p of procs) {
    const pid = p.pid ?? PID;
    const uid = p.uid ?? 0;
    entries[`proc/${pid}/comm`] = 'dockerd\n';
    entries[`proc/${pid}/cmdline`] = typeof p.argv === 'string' ? p.argv : `${p.argv.join('\0')}\0`;
    entries[`proc/${pid}/status`] = `Name:\tdockerd\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t0\t0\t0\t0\n`;
    if (p.environ) entries[`proc/${pid}/environ`] = `${Object.entries(p.environ).map(([k, v]) => `${k}=${v}`).join('\0')}\0`;
    if (p.cwd) entries[`proc/${pid}/cwd`] = { symlink: p.cwd };
  }
  return hostTree(t, entries);
}

/** The one-dockerd host most cases need: daemon.json at the default place when given. */
function host(t: TestContext, argv: readonly string[], daemonJson?: string, files: Readonly<Record<string, HostEntry>> = {}): string {
  return daemonHost(t, [{ argv }], { ...(daemonJson !== undefined ? { 'etc/docker/daemon.json': daemonJson } : {}), ...files });
}

function parse(r: { code: number; stdout: string; stderr: string }): Audit {
  const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; notes: string[] };
  return { code: r.code, findings: doc.findings, notes: doc.notes, stderr: r.stderr };
}

/** `audit --root ROOT` of the daemon section; the engine at SOCK does not answer (exit 3), the host is reported. */
function auditTree(root: string, endpoint = `unix://${SOCK}`): Audit {
  const r = runCli(['audit', '--root', root, '-H', endpoint, '--sections', 'daemon', '-f', 'json', '--fail-on', 'none'], { cwd: root });
  assert.equal(r.code, 3, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return parse(r);
}

const named = (a: Audit, rule: string) => a.findings.filter((f) => f.ruleName === rule);
const one = (a: Audit, rule: string): JsonFinding => {
  const found = named(a, rule);
  assert.equal(found.length, 1, `${rule}: ${JSON.stringify(a.findings.map((f) => `${f.ruleName}: ${f.message}`), null, 1)}`);
  return found[0]!;
};
const none = (a: Audit, rule: string) => assert.deepEqual(named(a, rule).map((f) => f.message), [], rule);
const daemonNotes = (a: Audit) => a.notes.filter((n) => !n.startsWith('cannot reach the Docker engine'));

// ── every rule, a bad case and a good case, on host trees ────────────────

test('daemon-not-rootless: dockerd running as uid 0, not when it runs as another user (rootless)', (t) => {
  const bad = auditTree(host(t, dockerd()));
  assert.match(one(bad, 'daemon-not-rootless').message, new RegExp(`dockerd \\(PID ${PID}\\) runs as uid 0`));
  assert.equal(one(bad, 'daemon-not-rootless').subject.kind, 'daemon');
  assert.equal(one(bad, 'daemon-not-rootless').subject.name, 'treehost');

  // A rootless dockerd reads $XDG_CONFIG_HOME/docker/daemon.json.
  const rootless = daemonHost(t, [{ argv: dockerd('--rootless'), uid: 1000, environ: { HOME: '/home/u', XDG_CONFIG_HOME: '/home/u/.config', XDG_RUNTIME_DIR: '/run/user/1000' } }], {
    'home/u/.config/docker/daemon.json': '{"log-level": "debug"}',
    'etc/docker/daemon.json': '{"experimental": true}',
  });
  const good = auditTree(rootless);
  none(good, 'daemon-not-rootless');
  none(good, 'userns-remap-disabled');
  none(good, 'experimental-enabled');
  const level = one(good, 'log-level-not-info');
  assert.deepEqual([level.location.file, level.location.line, level.location.column], ['/home/u/.config/docker/daemon.json', 1, 2]);

  // Without its environment, where a rootless dockerd's daemon.json is cannot be known: a note, no default judged.
  const hidden = auditTree(daemonHost(t, [{ argv: dockerd(), uid: 1000 }], { 'etc/docker/daemon.json': '{"experimental": true}' }));
  assert.deepEqual(daemonNotes(hidden), [`dockerd (PID ${PID}) runs as uid 1000 (rootless) and its environment cannot be read: where its daemon.json is is unknown`]);
  none(hidden, 'experimental-enabled');
  none(hidden, 'userland-proxy-enabled');
});

test('icc-enabled: on by default and when set true; not when false, nor without a default bridge', (t) => {
  const byDefault = one(auditTree(host(t, dockerd())), 'icc-enabled');
  assert.match(byDefault.message, /dockerd's default: icc is set neither on the command line of dockerd \(PID 4242\) nor in \/etc\/docker\/daemon\.json, which does not exist/);
  assert.equal(byDefault.severity, 'medium');
  assert.deepEqual(byDefault.references, ['CIS-2.2']);

  const inFile = one(auditTree(host(t, dockerd(), '{\n  "icc": true\n}\n')), 'icc-enabled');
  assert.match(inFile.message, /"icc": true in \/etc\/docker\/daemon\.json:2:3/);
  assert.deepEqual([inFile.location.file, inFile.location.line, inFile.location.column, inFile.location.path], ['/etc/docker/daemon.json', 2, 3, 'icc']);

  const flag = one(auditTree(host(t, dockerd('--icc=true'))), 'icc-enabled');
  assert.match(flag.message, /--icc=true on the command line of dockerd \(PID 4242\)/);
  assert.equal(flag.location.path, 'dockerd --icc');

  none(auditTree(host(t, dockerd('--icc=false'))), 'icc-enabled');
  none(auditTree(host(t, dockerd(), '{"icc": false}')), 'icc-enabled');
  // icc only governs the default bridge; with none there is nothing for it to open.
  none(auditTree(host(t, dockerd('--bridge=none'))), 'icc-enabled');
  none(auditTree(host(t, dockerd('-b', 'none', '--icc=true'))), 'icc-enabled');
});

test('log-level-not-info: debug or warn level, debug mode; not info or the default', (t) => {
  assert.match(one(auditTree(host(t, dockerd('-l', 'debug'))), 'log-level-not-info').message, /level "debug", not info \(-l debug on the command line/);
  assert.match(one(auditTree(host(t, dockerd('-D'))), 'log-level-not-info').message, /debug mode \(-D on the command line/);
  assert.match(one(auditTree(host(t, dockerd(), '{"log-level": "error"}')), 'log-level-not-info').message, /"log-level": "error" in \/etc\/docker\/daemon\.json:1:2/);
  none(auditTree(host(t, dockerd())), 'log-level-not-info');
  none(auditTree(host(t, dockerd('--log-level=info', '--debug=false'))), 'log-level-not-info');
});

test('iptables-disabled: --iptables=false; not by default or when true', (t) => {
  const bad = one(auditTree(host(t, dockerd('--iptables=false'))), 'iptables-disabled');
  assert.equal(bad.message, 'Docker may not change iptables (--iptables=false on the command line of dockerd (PID 4242))');
  none(auditTree(host(t, dockerd())), 'iptables-disabled');
  none(auditTree(host(t, dockerd('--iptables'))), 'iptables-disabled');
});

test('insecure-registry: each one at its own place; the default 127.0.0.0/8 is no finding (docker-bench\'s false positive)', (t) => {
  const json = '{\n  "insecure-registries": [\n    "127.0.0.0/8",\n    "reg.example:5000"\n  ]\n}\n';
  const a = auditTree(host(t, dockerd('--insecure-registry', '10.1.2.3/16'), json));
  // A flag and the file both give the list: the note says dockerd refuses that; the command line is what it runs with.
  const found = named(a, 'insecure-registry');
  assert.deepEqual(found.map((f) => f.message), ['registry "10.1.2.3/16" is insecure (--insecure-registry 10.1.2.3/16 on the command line of dockerd (PID 4242))']);
  assert.ok(daemonNotes(a).some((n) => /daemon\.json:2:3: "insecure-registries" is also given on the command line/.test(n)), a.notes.join('\n'));

  const fromFile = named(auditTree(host(t, dockerd(), json)), 'insecure-registry');
  assert.equal(fromFile.length, 1);
  assert.equal(fromFile[0]!.location.path, 'insecure-registries[1]');
  assert.deepEqual([fromFile[0]!.location.line, fromFile[0]!.location.column], [4, 5]);
  assert.equal(fromFile[0]!.severity, 'high');

  none(auditTree(host(t, dockerd(), '{"insecure-registries": ["127.0.0.0/8"]}')), 'insecure-registry');
  none(auditTree(host(t, dockerd())), 'insecure-registry');
});

test('aufs-storage-driver: -s aufs; not overlay2', (t) => {
  assert.match(one(auditTree(host(t, dockerd('-s', 'aufs'))), 'aufs-storage-driver').message, /the storage driver is aufs \(-s aufs on the command line/);
  none(auditTree(host(t, dockerd('--storage-driver=overlay2'))), 'aufs-storage-driver');
  // Which driver dockerd picks by itself is not known without /info: no finding.
  none(auditTree(host(t, dockerd())), 'aufs-storage-driver');
});

test('tcp-without-tls-auth: TCP without TLS, with TLS but no verification; not with tlsverify, not on a unix socket', (t) => {
  const plain = one(auditTree(host(t, dockerd('-H', 'tcp://0.0.0.0:2375'))), 'tcp-without-tls-auth');
  assert.equal(plain.severity, 'critical');
  assert.match(plain.message, /listens on "tcp:\/\/0\.0\.0\.0:2375" without TLS: neither tls nor tlsverify is set \(-H tcp:\/\/0\.0\.0\.0:2375 on the command line/);
  assert.equal(plain.location.path, 'dockerd --host[1]');

  const noVerify = one(auditTree(host(t, dockerd('-H', ':2376', '--tls', '--tlscert=/etc/docker/cert.pem', '--tlskey=/etc/docker/key.pem'))), 'tcp-without-tls-auth');
  assert.equal(noVerify.severity, 'high');
  assert.match(noVerify.message, /with TLS but tlsverify is not set/);
  const fileOnly = daemonHost(t, [{ argv: ['/usr/sbin/dockerd'] }], { 'etc/docker/daemon.json': `{"hosts": ["unix://${SOCK}", "tcp://127.0.0.1:2376"], "tlsverify": false}` });
  const off = one(auditTree(fileOnly), 'tcp-without-tls-auth');
  assert.match(off.message, /with TLS but without client certificate verification \("tlsverify": false in \/etc\/docker\/daemon\.json:1:\d+\)/);
  assert.deepEqual([off.location.path, off.location.line], ['hosts[1]', 1]);

  none(auditTree(host(t, dockerd('-H', 'tcp://0.0.0.0:2376', '--tlsverify', '--tlscacert=/etc/docker/ca.pem', '--tlscert=/etc/docker/cert.pem', '--tlskey=/etc/docker/key.pem'))), 'tcp-without-tls-auth');
  none(auditTree(host(t, dockerd())), 'tcp-without-tls-auth');
});

test('userns-remap-disabled: off by default; not with --userns-remap', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'userns-remap-disabled').message, /user namespace remapping is off \(dockerd's default/);
  none(auditTree(host(t, dockerd('--userns-remap=default'))), 'userns-remap-disabled');
  none(auditTree(host(t, dockerd(), '{"userns-remap": "dockremap:dockremap"}')), 'userns-remap-disabled');
});

test('default-cgroup-parent-changed: a cgroup parent given; not by default', (t) => {
  const f = one(auditTree(host(t, dockerd('--cgroup-parent', '/custom'))), 'default-cgroup-parent-changed');
  assert.equal(f.severity, 'info');
  assert.match(f.message, /cgroup parent "\/custom" \(--cgroup-parent \/custom on the command line/);
  none(auditTree(host(t, dockerd())), 'default-cgroup-parent-changed');
});

test('default-ulimit-unset: none set (both the command line and daemon.json read); not when --default-ulimit or default-ulimits is set, nor when the file is unknown', (t) => {
  const f = one(auditTree(host(t, dockerd(), '{}')), 'default-ulimit-unset');
  assert.match(f.message, /^no default ulimit is set for containers \(dockerd's default: default-ulimits is set neither on the command line of dockerd \(PID \d+\) nor in \/etc\/docker\/daemon\.json\)$/);
  none(auditTree(host(t, dockerd('--default-ulimit', 'nofile=1024:2048'), '{}')), 'default-ulimit-unset');
  none(auditTree(host(t, dockerd(), '{"default-ulimits": {"nofile": {"Name": "nofile", "Hard": 2048, "Soft": 1024}}}')), 'default-ulimit-unset');
  none(auditTree(host(t, dockerd(), '{ not json')), 'default-ulimit-unset');
});

test('dm-basesize-changed: storage-opts dm.basesize; not other storage options', (t) => {
  const f = one(auditTree(host(t, dockerd('--storage-opt', 'dm.thinpooldev=/dev/mapper/thin', '--storage-opt', 'dm.basesize=20G'))), 'dm-basesize-changed');
  assert.match(f.message, /changed to "20G" \(--storage-opt dm\.basesize=20G on the command line/);
  assert.equal(f.location.path, 'dockerd --storage-opt[1]');
  none(auditTree(host(t, dockerd('--storage-opt', 'dm.thinpooldev=/dev/mapper/thin'))), 'dm-basesize-changed');
});

test('no-authorization-plugin: none by default; not with one', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'no-authorization-plugin').message, /no authorization plugin is loaded \(dockerd's default/);
  none(auditTree(host(t, dockerd('--authorization-plugin=authz-broker'))), 'no-authorization-plugin');
});

test('no-remote-logging: json-file by default, local; not syslog', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'no-remote-logging').message, /"json-file" driver, which keeps logs on this host \(dockerd's default/);
  assert.match(one(auditTree(host(t, dockerd(), '{"log-driver": "local"}')), 'no-remote-logging').message, /"local" driver.*"log-driver": "local" in \/etc\/docker\/daemon\.json:1:2/);
  none(auditTree(host(t, dockerd('--log-driver=syslog', '--log-opt', 'syslog-address=tcp://logs.example:514'))), 'no-remote-logging');
});

test('daemon-no-new-privileges-unset: off by default; not with --no-new-privileges', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'daemon-no-new-privileges-unset').message, /may gain new privileges/);
  none(auditTree(host(t, dockerd('--no-new-privileges'))), 'daemon-no-new-privileges-unset');
  none(auditTree(host(t, dockerd(), '{"no-new-privileges": true}')), 'daemon-no-new-privileges-unset');
});

test('live-restore-disabled: off by default and when false; not with --live-restore', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'live-restore-disabled').message, /live restore is off.*dockerd's default/);
  assert.match(one(auditTree(host(t, dockerd('--live-restore=false'))), 'live-restore-disabled').message, /--live-restore=false on the command line/);
  none(auditTree(host(t, dockerd('--live-restore'))), 'live-restore-disabled');
});

test('userland-proxy-enabled: on by default; not with --userland-proxy=false', (t) => {
  assert.match(one(auditTree(host(t, dockerd())), 'userland-proxy-enabled').message, /userland proxy is on \(dockerd's default/);
  none(auditTree(host(t, dockerd('--userland-proxy=false'))), 'userland-proxy-enabled');
});

test('daemon-seccomp-unconfined: unconfined, a profile that allows by default; not a deny-by-default profile', (t) => {
  const unconfined = one(auditTree(host(t, dockerd('--seccomp-profile=unconfined'))), 'daemon-seccomp-unconfined');
  assert.equal(unconfined.severity, 'high');
  assert.match(unconfined.message, /profile is unconfined \(--seccomp-profile=unconfined on the command line/);

  const allow = '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_ERRNO"}]\n}\n';
  const f = one(auditTree(host(t, dockerd('--seccomp-profile', '/etc/docker/seccomp.json'), undefined, { 'etc/docker/seccomp.json': allow })), 'daemon-seccomp-unconfined');
  assert.equal(f.severity, 'medium');
  assert.deepEqual([f.location.file, f.location.line, f.location.column], ['/etc/docker/seccomp.json', 2, 3]);

  const deny = '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}';
  none(auditTree(host(t, dockerd('--seccomp-profile', '/etc/docker/seccomp.json'), undefined, { 'etc/docker/seccomp.json': deny })), 'daemon-seccomp-unconfined');
  none(auditTree(host(t, dockerd())), 'daemon-seccomp-unconfined');
  // A profile that cannot be read is a note, not a finding.
  const missing = auditTree(host(t, dockerd('--seccomp-profile', '/etc/docker/gone.json')));
  none(missing, 'daemon-seccomp-unconfined');
  assert.ok(daemonNotes(missing).includes("the daemon's seccomp profile /etc/docker/gone.json does not exist (dockerd read it when it started)"), missing.notes.join('\n'));
});

test('experimental-enabled: --experimental; not by default', (t) => {
  assert.match(one(auditTree(host(t, dockerd('--experimental'))), 'experimental-enabled').message, /experimental features are on \(--experimental on the command line/);
  none(auditTree(host(t, dockerd())), 'experimental-enabled');
});

// ── which dockerd, which daemon.json ─────────────────────────────────────

test('of several dockerds, the one serving the audited socket is read; /var/run and /run are one place', (t) => {
  const root = daemonHost(t, [
    { pid: 100, argv: ['dockerd', '-H', 'unix:///run/other.sock', '--experimental'] },
    { pid: 200, argv: ['dockerd', '--icc=false', '--bridge=none'] }, // the default socket
    { pid: 300, argv: dockerd('--iptables=false') },
  ]);
  const ours = auditTree(root);
  assert.match(one(ours, 'iptables-disabled').message, /PID 300/);
  none(ours, 'experimental-enabled');

  const byDefault = auditTree(root, 'unix:///run/docker.sock');
  const withPid = byDefault.findings.filter((f) => /PID \d+/.test(f.message));
  assert.ok(withPid.length > 0 && withPid.every((f) => /PID 200\)/.test(f.message)), withPid.map((f) => f.message).join('\n'));
  none(byDefault, 'iptables-disabled');
  none(byDefault, 'icc-enabled');

  const other = auditTree(root, 'unix:///var/run//other.sock');
  assert.match(one(other, 'experimental-enabled').message, /PID 100/);
});

test('dockerd -H fd:// (socket activation) serves the packaged docker.socket, /run/docker.sock', (t) => {
  const root = host(t, ['/usr/sbin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock', '--live-restore']);
  const a = auditTree(root, 'unix:///var/run/docker.sock');
  none(a, 'live-restore-disabled');
  assert.deepEqual(daemonNotes(a), []);
});

test('no dockerd serving the engine: a note; daemon.json alone is read, nothing is judged by a default', (t) => {
  const root = daemonHost(t, [{ argv: ['dockerd', '-H', 'unix:///run/elsewhere.sock'] }], { 'etc/docker/daemon.json': '{"experimental": true}' });
  const a = auditTree(root);
  assert.ok(
    daemonNotes(a).some((n) => n.startsWith(`no dockerd process serving unix://${SOCK} was found in ${root}/proc (dockerd processes found: PID ${PID} on unix:///run/elsewhere.sock)`)),
    a.notes.join('\n'),
  );
  // Given in the file: judged. Defaults: unknown, since the command line is.
  assert.match(one(a, 'experimental-enabled').message, /"experimental": true in \/etc\/docker\/daemon\.json:1:2/);
  for (const rule of ['icc-enabled', 'userland-proxy-enabled', 'live-restore-disabled', 'daemon-no-new-privileges-unset', 'userns-remap-disabled', 'no-authorization-plugin', 'no-remote-logging', 'daemon-not-rootless']) none(a, rule);
});

test('an engine on another machine: this machine\'s dockerds and daemon.json are not its configuration; GET /info is', async () => {
  const notes: string[] = [];
  const endpoint = resolveEndpoint('tcp://192.0.2.1:2376', {});
  const daemon = await collectDaemon({ root: new HostRoot('/'), endpoint, info: recorded('hardened.info.json') as Record<string, unknown> }, { root: '/', name: 'h' }, (n) => notes.push(n));
  assert.equal(daemon.process, undefined);
  assert.equal(daemon.settings.size, 0);
  assert.equal(daemon.complete, false);
  assert.equal(daemon.seccompProfile, undefined);
  assert.match(notes.at(-1)!, /^no dockerd on this machine serves tcp:\/\/192\.0\.2\.1:2376.*: the daemon section used only GET \/info$/);
  const findings = runRules({ containers: [], host: { root: '/', name: 'h', daemon } }, RULES.filter((r) => r.needs.includes('daemon-config')));
  assert.deepEqual(findings.map((f) => f.rule.name).sort(), ['daemon-not-rootless', 'experimental-enabled', 'insecure-registry', 'no-authorization-plugin', 'userns-remap-disabled']);
  assert.equal(findings.find((f) => f.rule.name === 'insecure-registry')!.message, 'registry "registry.example:5000" is insecure (GET /info RegistryConfig)');
});

test('--config-file, relative to dockerd\'s working directory, replaces /etc/docker/daemon.json', (t) => {
  const root = daemonHost(t, [{ argv: dockerd('--config-file', 'conf/d.json'), cwd: '/srv/docker' }], {
    'srv/docker/conf/d.json': '{\n  "live-restore": true,\n  "log-level": "warn"\n}',
    'etc/docker/daemon.json': '{"experimental": true}',
  });
  const a = auditTree(root);
  none(a, 'live-restore-disabled');
  none(a, 'experimental-enabled');
  const level = one(a, 'log-level-not-info');
  assert.deepEqual([level.location.file, level.location.line, level.location.column], ['/srv/docker/conf/d.json', 3, 3]);
  assert.match(one(a, 'userland-proxy-enabled').message, /nor in \/srv\/docker\/conf\/d\.json\)/);
});

// ── what breaks: notes, never a crash ────────────────────────────────────

test('a malformed daemon.json: one note with file:line:column; the command line is still judged, defaults are not', (t) => {
  const a = auditTree(host(t, dockerd('--iptables=false'), '{\n  "icc": false,\n  "live-restore": true,\n}\n'));
  assert.deepEqual(daemonNotes(a), ['/etc/docker/daemon.json:4:1: not valid JSON (PropertyNameExpected): dockerd cannot start with this daemon.json; the daemon section did not use it']);
  one(a, 'iptables-disabled');
  for (const rule of ['icc-enabled', 'live-restore-disabled', 'userland-proxy-enabled']) none(a, rule);
});

test('a wrongly typed daemon.json value: a note, and nothing judged by a default', (t) => {
  const a = auditTree(host(t, dockerd(), '{"icc": "false", "experimental": true}'));
  assert.deepEqual(daemonNotes(a), ['/etc/docker/daemon.json:1:2: "icc" is "false" (a string); dockerd expects true or false and refuses to start with this file']);
  none(a, 'icc-enabled');
  one(a, 'experimental-enabled');
});

test('an unreadable daemon.json is a note naming it', (t) => {
  const a = auditTree(host(t, dockerd(), undefined, { 'etc/docker/daemon.json': { dir: true } }));
  assert.deepEqual(daemonNotes(a), ['cannot read /etc/docker/daemon.json: is a directory: the daemon section used only the command line']);
  none(a, 'userland-proxy-enabled');
});

test('a dockerd that vanished while being read, and one with a garbage command line: notes', (t) => {
  const root = daemonHost(t, [{ pid: 77, argv: dockerd('--live-restore') }], { 'proc/76/comm': 'dockerd\n' });
  const a = auditTree(root);
  assert.ok(daemonNotes(a).includes('dockerd process 76 ended (or became a zombie) while it was being read; skipped'), a.notes.join('\n'));
  none(a, 'live-restore-disabled');

  const garbage = `/usr/sbin/dockerd\0-H\0unix://${SOCK}\0\u0007\u001b[31mred\0--icc\0no\0-\u00ff\0--log-level\0`;
  const g = auditTree(daemonHost(t, [{ argv: garbage }]));
  assert.deepEqual(daemonNotes(g), [
    'dockerd (PID 4242) command line: stray argument "\\u0007\\u001b[31mred" (dockerd takes none)',
    'dockerd (PID 4242) command line: stray argument "no" (dockerd takes none)',
    'dockerd (PID 4242) command line: unknown shorthand flag -ÿ in "-ÿ"',
    'dockerd (PID 4242) command line: flag --log-level needs a value',
  ]);
  one(g, 'icc-enabled');
});

test('property: any bytes as a dockerd\'s cmdline and daemon.json give facts and notes, never an exception', async (t) => {
  const endpoint = resolveEndpoint(`unix://${SOCK}`);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 200 }), async (cmdline, json) => {
      const root = daemonHost(t, [{ argv: `dockerd\0-H\0unix://${SOCK}\0${Buffer.from(cmdline).toString('latin1')}` }], { 'etc/docker/daemon.json': json });
      const notes: string[] = [];
      const daemon = await collectDaemon({ root: new HostRoot(root), endpoint }, { root, name: 'h' }, (n) => notes.push(n));
      assert.equal(daemon.process?.pid, PID);
      for (const n of notes) assert.doesNotMatch(n, /\n/);
      runRules({ containers: [], host: { root, name: 'h', daemon } }, RULES);
      rmSync(root, { recursive: true, force: true });
    }),
    { numRuns: 60 },
  );
});

// ── recorded from the real engines ───────────────────────────────────────

/** The rules' findings on a host whose /proc holds a recorded dockerd, with its recorded GET /info. */
async function recordedAudit(t: TestContext, name: 'plain' | 'hardened', files: Readonly<Record<string, HostEntry>> = {}) {
  const argv = recorded(`${name}.argv.json`) as string[];
  const root = daemonHost(t, [{ argv }], files);
  const socket = argv[argv.indexOf('--host') + 1]!;
  const notes: string[] = [];
  const daemon = await collectDaemon({ root: new HostRoot(root), endpoint: resolveEndpoint(socket), info: recorded(`${name}.info.json`) as Record<string, unknown> }, { root, name: 'h' }, (n) => notes.push(n));
  const workload: Workload = { containers: [], host: { root, name: 'h', daemon } };
  return { daemon, notes, findings: runRules(workload, RULES.filter((r) => r.needs.includes('daemon-config'))) };
}

test('recorded: the test set-up\'s dockerd and its GET /info', async (t) => {
  const { daemon, notes, findings } = await recordedAudit(t, 'plain');
  assert.deepEqual(notes, []);
  assert.equal(daemon.name, 'vm', 'the daemon is named by /info');
  assert.equal(daemon.complete, true);
  assert.deepEqual(findings.map((f) => f.rule.name).sort(), [
    'daemon-no-new-privileges-unset',
    'daemon-not-rootless',
    'default-ulimit-unset',
    'iptables-disabled',
    'live-restore-disabled',
    'no-authorization-plugin',
    'no-remote-logging',
    'userland-proxy-enabled',
    'userns-remap-disabled',
  ]);
  // /info's word, not a default: GET /info LiveRestoreEnabled.
  assert.match(findings.find((f) => f.rule.name === 'live-restore-disabled')!.message, /GET \/info LiveRestoreEnabled/);
});

test('recorded: the hardened dockerd with its daemon.json and GET /info', async (t) => {
  const argv = recorded('hardened.argv.json') as string[];
  const config = argv[argv.indexOf('--config-file') + 1]!;
  const json = readFileSync(join(repoRoot, 'test', 'host', 'daemon-recorded', 'hardened.daemon.json'), 'utf8');
  const profile = JSON.parse(json)['seccomp-profile'] as string;
  const { daemon, notes, findings } = await recordedAudit(t, 'hardened', { [config.slice(1)]: json, [profile.slice(1)]: '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}\n' });
  assert.deepEqual(notes, []);
  assert.equal(daemon.configFile.path, config);
  const names = findings.map((f) => f.rule.name).sort();
  assert.deepEqual(names, ['daemon-not-rootless', 'daemon-seccomp-unconfined', 'default-ulimit-unset', 'experimental-enabled', 'insecure-registry', 'iptables-disabled', 'log-level-not-info', 'no-authorization-plugin', 'userns-remap-disabled']);
});

// ── the real engines ─────────────────────────────────────────────────────

/** The dockerd serving a unix socket, from our own look at /proc. */
function pidServing(socket: string): number {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'dockerd' && argv.includes(socket)) return Number(entry);
    } catch {
      // gone
    }
  }
  throw new Error(`no dockerd serves ${socket}`);
}

function auditEngine(endpoint: string): Audit {
  const r = runCli(['audit', '-H', endpoint, '--sections', 'daemon', '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return parse(r);
}

/** The notes but those about another dockerd ending mid-read: other test files start and stop engines of their own meanwhile. */
function othersEnded(notes: readonly string[], pid: number): string[] {
  return notes.filter((n) => !/^dockerd process \d+ ended/.test(n) || n.startsWith(`dockerd process ${pid} `));
}

engineTest('the test set-up\'s private engine: --iptables=false found in its command line in /proc, the rest from GET /info', (_t, endpoint) => {
  const a = auditEngine(endpoint);
  const pid = pidServing(endpoint);
  assert.deepEqual(othersEnded(a.notes, pid), []);
  assert.equal(one(a, 'iptables-disabled').message, `Docker may not change iptables (--iptables=false on the command line of dockerd (PID ${pid}))`);
  for (const rule of ['daemon-not-rootless', 'userns-remap-disabled', 'daemon-no-new-privileges-unset', 'no-authorization-plugin', 'no-remote-logging', 'live-restore-disabled', 'userland-proxy-enabled']) one(a, rule);
  // --bridge=none: no default bridge for icc; /info lists only the default 127.0.0.0/8; vfs; a unix socket; seccomp's default profile.
  for (const rule of ['icc-enabled', 'insecure-registry', 'aufs-storage-driver', 'tcp-without-tls-auth', 'log-level-not-info', 'experimental-enabled', 'daemon-seccomp-unconfined', 'default-cgroup-parent-changed', 'dm-basesize-changed']) none(a, rule);
});

engineTest('a second private dockerd with hardening flags and a daemon.json: both read from /proc and merged', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-daemon-engine.'));
  const engineDir = join(dir, 'engine');
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), engineDir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });
  const profile = join(dir, 'seccomp-allow.json');
  writeFileSync(profile, '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}\n');
  const config = join(dir, 'daemon.json');
  const json = [
    '{',
    '  "log-level": "warn",',
    '  "insecure-registries": ["127.0.0.0/8", "registry.example:5000"],',
    '  "experimental": true,',
    `  "seccomp-profile": ${JSON.stringify(profile)},`,
    '  "log-driver": "syslog",',
    '  "log-opts": {"syslog-address": "udp://127.0.0.1:514"},',
    '  "cgroup-parent": "bulkhead-test"',
    '}',
    '',
  ].join('\n');
  writeFileSync(config, json);
  // --icc=false is not among the flags: dockerd refuses it with the --iptables=false every private engine needs.
  const endpoint = execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), engineDir], {
    encoding: 'utf8',
    env: { ...process.env, DOCKERD_EXTRA_ARGS: `--live-restore --no-new-privileges --userland-proxy=false --config-file ${config}` },
  }).trim();
  const pid = Number(readFileSync(join(engineDir, 'docker.pid'), 'utf8'));

  const a = auditEngine(endpoint);
  assert.deepEqual(othersEnded(a.notes, pid), []);
  // The flags, from /proc/PID/cmdline.
  for (const rule of ['live-restore-disabled', 'daemon-no-new-privileges-unset', 'userland-proxy-enabled']) none(a, rule);
  assert.match(one(a, 'iptables-disabled').message, new RegExp(`\\(PID ${pid}\\)`));
  // The file, with positions.
  const level = one(a, 'log-level-not-info');
  assert.deepEqual([level.location.file, level.location.line, level.location.column], [config, 2, 3]);
  const registry = one(a, 'insecure-registry');
  assert.equal(registry.message, `registry "registry.example:5000" is insecure ("registry.example:5000" in "insecure-registries" at ${config}:3:42)`);
  assert.deepEqual([registry.location.line, registry.location.column], [3, json.split('\n')[2]!.indexOf('"registry.example') + 1]);
  assert.deepEqual([one(a, 'experimental-enabled').location.line, one(a, 'default-cgroup-parent-changed').location.line], [4, 8]);
  none(a, 'no-remote-logging');
  // The seccomp profile named by the file, as /info reports it in use.
  const seccomp = one(a, 'daemon-seccomp-unconfined');
  assert.deepEqual([seccomp.location.file, seccomp.location.line, seccomp.location.column, seccomp.severity], [profile, 1, 2, 'medium']);

  // The engine of the test set-up, running beside it, is still audited as itself.
  if (engineHost) none(auditEngine(engineHost), 'experimental-enabled');
});
