/**
 * Section files (CIS 3.1–3.24): host trees with real owners, groups, modes
 * and unix sockets, audited by the real CLI with --root, and the collector
 * driven with the daemon settings it reads (TLS files, sockets, daemon.json).
 */
import test, { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { hostTree, type HostEntry } from '../support/host-tree.js';
import { runCli } from '../support/env.js';
import { HostRoot } from '../../src/linux/host-root.js';
import { idNames } from '../../src/linux/id-names.js';
import { collectFiles } from '../../src/inputs/host/files.js';
import { runRules } from '../../src/core/engine.js';
import { RULES } from '../../src/rules/index.js';
import type { DaemonConfig, Host, HostFile, Setting } from '../../src/model/host.js';

/** Ids on the audited host, named in its own /etc/passwd and /etc/group (not this machine's). */
const ALICE = 1000;
const DOCKER = 998;
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\n# a comment\nhostalice:x:1000:1000::/home/hostalice:/bin/sh\n';
const GROUP = 'root:x:0:\ndocker:x:998:hostalice\nhostalice:x:1000:\n';

const root0 = (mode: number, text = 'x\n'): HostEntry => ({ text, mode, uid: 0, gid: 0 });

/** A host on which every file CIS 3.x names is present, owned and moded as it should be. */
function wellKept(): Record<string, HostEntry> {
  return {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/lib/systemd/system/docker.service': root0(0o644, '[Service]\nExecStart=/usr/bin/dockerd -H fd://\n'),
    '/etc/systemd/system/docker.service.d/override.conf': root0(0o644, '[Service]\nEnvironment=X=1\n'),
    '/lib/systemd/system/docker.socket': root0(0o644, '[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n'),
    '/etc/docker': { dir: true, mode: 0o755, uid: 0, gid: 0 },
    '/etc/docker/certs.d/registry.example:5000': { dir: true, mode: 0o755, uid: 0, gid: 0 }, // a folder is not a certificate
    '/etc/docker/certs.d/registry.example:5000/ca.crt': root0(0o444),
    '/etc/docker/certs.d/registry.example:5000/client.cert': root0(0o444),
    '/etc/docker/certs.d/registry.example:5000/client.key': root0(0o400),
    '/etc/docker/certs.d/registry.example:5000/README': { text: 'not read by dockerd\n', mode: 0o666, uid: ALICE, gid: ALICE },
    '/etc/docker/daemon.json': root0(0o644, '{}\n'),
    '/etc/default/docker': root0(0o644),
    '/etc/sysconfig/docker': root0(0o600),
    '/var/run': { symlink: '/run' },
  };
}

/** Unix sockets, really listening, with the owner and mode given (the tests run as root). */
async function sockets(t: TestContext, root: string, list: Readonly<Record<string, { mode: number; uid: number; gid: number }>>): Promise<void> {
  for (const [path, { mode, uid, gid }] of Object.entries(list)) {
    const local = join(root, path);
    mkdirSync(dirname(local), { recursive: true });
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(local, resolve);
    });
    t.after(() => server.close());
    chmodSync(local, mode);
    chownSync(local, uid, gid);
  }
}

const GOOD_SOCKETS = {
  '/run/docker.sock': { mode: 0o660, uid: 0, gid: DOCKER },
  '/run/containerd/containerd.sock': { mode: 0o660, uid: 0, gid: 0 },
};

interface JsonFinding {
  ruleName: string;
  severity: string;
  message: string;
  references: string[];
  subject: { kind: string; name: string };
  location: { path: string };
}
interface JsonReport {
  findings: JsonFinding[];
  summary: { subjects: number };
  notes: string[];
}

/** The real CLI, files section only: no engine is contacted. */
function audit(root: string): { code: number; report: JsonReport; stderr: string } {
  const r = runCli(['audit', '-q', '--root', root, '--sections', 'files', '-f', 'json']);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

function findingsOf(report: JsonReport, rule: string): JsonFinding[] {
  return report.findings.filter((f) => f.ruleName === rule);
}

test('a well-kept host: every CIS 3.x file found, none flagged', async (t) => {
  const root = hostTree(t, wellKept());
  await sockets(t, root, GOOD_SOCKETS);
  const { code, report } = audit(root);
  assert.deepEqual(report.findings, []);
  assert.equal(code, 0);
  // unit, drop-in, socket unit, /etc/docker, 3 registry files, docker.sock, daemon.json, default, sysconfig, containerd.sock
  assert.equal(report.summary.subjects, 12);
  const text = runCli(['audit', '--root', root, '--sections', 'files']).stdout;
  for (const path of ['/lib/systemd/system/docker.service', '/etc/systemd/system/docker.service.d/override.conf', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/etc/docker/certs.d/registry.example:5000/client.key']) {
    assert.match(text, new RegExp(`^${path.replace(/[.]/g, '\\.')} \\(file\\)\\n  no findings$`, 'm'), path);
  }
  assert.doesNotMatch(text, /README/, 'dockerd reads only *.crt, *.cert and *.key in certs.d');
});

/** Each file CIS 3.x names, with a wrong owner and a too-permissive mode, and the items the findings must give. */
const BAD_FILES: readonly { path: string; dir?: true; mode: number; ownerItem: string; modeItem: string; wants: string; extra: string }[] = [
  { path: '/lib/systemd/system/docker.service', mode: 0o664, ownerItem: '3.1', modeItem: '3.2', wants: 'root:root', extra: 'g-w' },
  { path: '/etc/systemd/system/docker.service.d/override.conf', mode: 0o646, ownerItem: '3.1', modeItem: '3.2', wants: 'root:root', extra: 'o-w' },
  { path: '/lib/systemd/system/docker.socket', mode: 0o744, ownerItem: '3.3', modeItem: '3.4', wants: 'root:root', extra: 'u-x' },
  { path: '/etc/docker', dir: true, mode: 0o775, ownerItem: '3.5', modeItem: '3.6', wants: 'root:root', extra: 'g-w' },
  { path: '/etc/docker/certs.d/registry.example:5000/ca.crt', mode: 0o644, ownerItem: '3.7', modeItem: '3.8', wants: 'root:root', extra: 'u-w' },
  { path: '/etc/docker/daemon.json', mode: 0o666, ownerItem: '3.17', modeItem: '3.18', wants: 'root:root', extra: 'g-w,o-w' },
  { path: '/etc/default/docker', mode: 0o654, ownerItem: '3.19', modeItem: '3.20', wants: 'root:root', extra: 'g-x' },
  { path: '/etc/sysconfig/docker', mode: 0o660, ownerItem: '3.21', modeItem: '3.22', wants: 'root:root', extra: 'g-w' },
];

test('every CIS 3.x file with a wrong owner and too open a mode: one finding of each rule, naming the file, its item and the fix', async (t) => {
  const entries = wellKept();
  for (const f of BAD_FILES) entries[f.path] = f.dir ? { dir: true, mode: f.mode, uid: ALICE, gid: ALICE } : { text: 'x\n', mode: f.mode, uid: ALICE, gid: ALICE };
  const root = hostTree(t, entries);
  await sockets(t, root, {
    '/run/docker.sock': { mode: 0o666, uid: ALICE, gid: ALICE },
    '/run/containerd/containerd.sock': { mode: 0o670, uid: 0, gid: DOCKER },
  });
  const { code, report } = audit(root);
  assert.equal(code, 1);
  const owner = findingsOf(report, 'daemon-file-wrong-owner');
  const mode = findingsOf(report, 'daemon-file-too-permissive');
  const expected = [
    ...BAD_FILES,
    { path: '/var/run/docker.sock', mode: 0o666, ownerItem: '3.15', modeItem: '3.16', wants: 'root:docker', extra: 'o-rw' },
    { path: '/run/containerd/containerd.sock', mode: 0o670, ownerItem: '3.23', modeItem: '3.24', wants: 'root:root', extra: 'g-x' },
  ];
  assert.equal(owner.length, expected.length, JSON.stringify(owner.map((f) => f.message), null, 1));
  assert.equal(mode.length, expected.length, JSON.stringify(mode.map((f) => f.message), null, 1));
  for (const e of expected) {
    const o = owner.find((f) => f.subject.name === e.path);
    const has = e.path === '/run/containerd/containerd.sock' ? 'root:docker' : 'hostalice:hostalice';
    assert.ok(o, `no owner finding for ${e.path}`);
    assert.equal(o.subject.kind, 'file');
    assert.ok(o.message.includes(`is owned by ${has}, not ${e.wants} (CIS ${e.ownerItem}): chown ${e.wants} ${e.path}`), o.message);
    assert.ok(o.references.includes(`CIS-${e.ownerItem}`));
    const m = mode.find((f) => f.subject.name === e.path);
    assert.ok(m, `no mode finding for ${e.path}`);
    assert.ok(m.message.includes(`has mode 0${e.mode.toString(8)}`) && m.message.includes(`(CIS ${e.modeItem}): chmod ${e.extra} ${e.path}`), m.message);
    assert.ok(m.references.includes(`CIS-${e.modeItem}`));
  }
  // Write for everyone on a daemon file or socket is root for everyone; a non-root owner can rewrite the file.
  assert.equal(mode.find((f) => f.subject.name === '/etc/docker/daemon.json')?.severity, 'critical');
  assert.equal(mode.find((f) => f.subject.name === '/var/run/docker.sock')?.severity, 'critical');
  assert.equal(mode.find((f) => f.subject.name === '/etc/default/docker')?.severity, 'medium');
  assert.equal(owner.find((f) => f.subject.name === '/etc/docker')?.severity, 'high');
  // Only the group wrong, on a socket: the group gets the API.
  assert.equal(owner.find((f) => f.subject.name === '/run/containerd/containerd.sock')?.severity, 'high');
  assert.equal(owner.find((f) => f.subject.name === '/run/containerd/containerd.sock')?.location.path, 'group');
});

test('a host without the files is not a finding', (t) => {
  const root = hostTree(t, { '/etc/passwd': PASSWD, '/etc/group': GROUP });
  const { code, report } = audit(root);
  assert.equal(code, 0);
  assert.deepEqual(report.findings, []);
  assert.equal(report.summary.subjects, 0);
});

test('docker.service is searched as systemd does: /lib when /etc has none, /etc winning over /lib, /usr/local/lib over /lib, a /dev/null mask hiding all', async (t) => {
  const only = (extra: Record<string, HostEntry>) => audit(hostTree(t, { '/etc/passwd': PASSWD, '/etc/group': GROUP, ...extra })).report;

  const inLib = only({ '/lib/systemd/system/docker.service': root0(0o666) });
  assert.deepEqual(
    findingsOf(inLib, 'daemon-file-too-permissive').map((f) => f.subject.name),
    ['/lib/systemd/system/docker.service'],
  );

  const etcWins = only({ '/etc/systemd/system/docker.service': root0(0o644), '/lib/systemd/system/docker.service': root0(0o666) });
  assert.deepEqual(findingsOf(etcWins, 'daemon-file-too-permissive'), []);
  assert.equal(etcWins.summary.subjects, 1);

  const etcBad = only({ '/etc/systemd/system/docker.service': root0(0o666), '/lib/systemd/system/docker.service': root0(0o644) });
  assert.deepEqual(
    findingsOf(etcBad, 'daemon-file-too-permissive').map((f) => f.subject.name),
    ['/etc/systemd/system/docker.service'],
  );

  const usrLocal = only({ '/usr/local/lib/systemd/system/docker.service': root0(0o666), '/lib/systemd/system/docker.service': root0(0o644) });
  assert.deepEqual(
    findingsOf(usrLocal, 'daemon-file-too-permissive').map((f) => f.subject.name),
    ['/usr/local/lib/systemd/system/docker.service'],
  );

  // Masked: the /dev/null link needs nothing behind it (under --root the host's /dev is usually not there).
  const masked = only({ '/etc/systemd/system/docker.service': { symlink: '/dev/null' }, '/lib/systemd/system/docker.service': root0(0o666) });
  assert.deepEqual(masked.findings, []);
  assert.equal(masked.summary.subjects, 0);
});

test('drop-ins: every folder on the search path, a name in /etc hiding the same name in /lib, a /dev/null drop-in hiding too', (t) => {
  const root = hostTree(t, {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/lib/systemd/system/docker.service': root0(0o644),
    '/etc/systemd/system/docker.service.d/hidden.conf': root0(0o644),
    '/lib/systemd/system/docker.service.d/hidden.conf': root0(0o666),
    '/etc/systemd/system/docker.service.d/masked.conf': { symlink: '/dev/null' },
    '/lib/systemd/system/docker.service.d/masked.conf': root0(0o666),
    '/run/systemd/system/docker.service.d/tcp.conf': { text: '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H tcp://0.0.0.0:2375\n', mode: 0o644, uid: ALICE, gid: 0 },
    '/lib/systemd/system/docker.service.d/notes.txt': root0(0o666), // not a drop-in
  });
  const { report } = audit(root);
  assert.deepEqual(findingsOf(report, 'daemon-file-too-permissive'), []);
  const owner = findingsOf(report, 'daemon-file-wrong-owner');
  assert.deepEqual(
    owner.map((f) => f.message),
    ['docker.service drop-in /run/systemd/system/docker.service.d/tcp.conf is owned by hostalice:root, not root:root (CIS 3.1): chown root:root /run/systemd/system/docker.service.d/tcp.conf'],
  );
  assert.equal(report.summary.subjects, 3); // the unit, hidden.conf from /etc, tcp.conf
});

test('the Docker socket at /var/run/docker.sock: /var/run -> /run resolved inside the root, owner and group named by the host', async (t) => {
  const root = hostTree(t, wellKept());
  await sockets(t, root, { '/run/docker.sock': { mode: 0o660, uid: ALICE, gid: DOCKER }, '/run/containerd/containerd.sock': { mode: 0o660, uid: 0, gid: 0 } });
  const { report } = audit(root);
  const [f, ...rest] = findingsOf(report, 'daemon-file-wrong-owner');
  assert.deepEqual(rest, []);
  assert.equal(f?.subject.name, '/var/run/docker.sock');
  assert.equal(f?.severity, 'high');
  assert.equal(f?.message, 'Docker socket /var/run/docker.sock is owned by hostalice:docker, not root:docker (CIS 3.15): chown root:docker /var/run/docker.sock');
  // The names are the tree's: this machine names these ids otherwise, or not at all.
  const ours = { users: idNames(readFileSync('/etc/passwd', 'utf8')), groups: idNames(readFileSync('/etc/group', 'utf8')) };
  assert.notEqual(ours.users.get(ALICE), 'hostalice');
  assert.notEqual(ours.groups.get(DOCKER), 'docker');
});

test('an id the host does not name is shown as a number; root is known by its id, not its name', async (t) => {
  const root = hostTree(t, {
    '/etc/passwd': 'toor:x:0:0::/:/bin/sh\n', // root renamed: still uid 0
    '/etc/group': 'wheel:x:0:\n',
    '/etc/docker/daemon.json': { text: '{}', mode: 0o644, uid: 0, gid: 0 },
    '/etc/default/docker': { text: 'x', mode: 0o644, uid: 4242, gid: 4343 },
  });
  const { report } = audit(root);
  assert.deepEqual(
    findingsOf(report, 'daemon-file-wrong-owner').map((f) => f.message),
    ['/etc/default/docker is owned by 4242:4343, not root:root (CIS 3.19): chown root:root /etc/default/docker'],
  );
});

test('modes are compared as bits, not as decimal numbers (docker-bench compares 607 < 660 and 2755 > 755)', async (t) => {
  const run = async (files: Record<string, HostEntry>, socketMode?: number) => {
    const root = hostTree(t, { '/etc/passwd': PASSWD, '/etc/group': GROUP, ...files });
    if (socketMode !== undefined) await sockets(t, root, { '/run/docker.sock': { mode: socketMode, uid: 0, gid: DOCKER } });
    return findingsOf(audit(root).report, 'daemon-file-too-permissive');
  };
  // Within 0644 bit by bit: group read dropped, others read kept; and the other way round.
  assert.deepEqual(await run({ '/etc/docker/daemon.json': root0(0o604) }), []);
  assert.deepEqual(await run({ '/etc/docker/daemon.json': root0(0o640) }), []);
  // 622 is a smaller number than 644, yet group and others may write.
  const writable = await run({ '/etc/docker/daemon.json': root0(0o622) });
  assert.equal(writable.length, 1);
  assert.match(writable[0]!.message, /has mode 0622, more than 0644 allows: group write, others write \(CIS 3\.18\): chmod g-w,o-w \/etc\/docker\/daemon\.json$/);
  // 607 is a smaller number than 660, yet everyone has the Docker API.
  const open = await run({ '/var/run': { symlink: '/run' } }, 0o607);
  assert.equal(open.length, 1);
  assert.equal(open[0]!.severity, 'critical');
  assert.match(open[0]!.message, /^Docker socket \/var\/run\/docker\.sock has mode 0607, more than 0660 allows: others read and write and execute \(CIS 3\.16\): chmod o-rwx /);
  // setgid on the folder gives no access: 2755 is within 0755.
  assert.deepEqual(await run({ '/etc/docker': { dir: true, mode: 0o2755, uid: 0, gid: 0 } }), []);
});

test('registry certificates: each file dockerd reads in certs.d, not the folders or other files', (t) => {
  const root = hostTree(t, {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/etc/docker/certs.d/r.example': { dir: true, mode: 0o777, uid: 0, gid: 0 },
    '/etc/docker/certs.d/r.example/ca.crt': root0(0o644),
    '/etc/docker/certs.d/r.example/client.key': { text: 'k', mode: 0o400, uid: ALICE, gid: 0 },
    '/etc/docker/certs.d/r.example/notes.md': root0(0o666),
    '/etc/docker/certs.d/stray.crt': root0(0o666), // not in a registry's folder: dockerd does not read it
  });
  const { report } = audit(root);
  assert.deepEqual(
    report.findings.map((f) => `${f.ruleName} ${f.subject.name}`).sort(),
    ['daemon-file-too-permissive /etc/docker/certs.d/r.example/ca.crt', 'daemon-file-wrong-owner /etc/docker/certs.d/r.example/client.key'],
  );
  assert.match(findingsOf(report, 'daemon-file-too-permissive')[0]!.message, /^registry certificate \/etc\/docker\/certs\.d\/r\.example\/ca\.crt has mode 0644, more than 0444 allows: owner write \(CIS 3\.8\)/);
});

test('an unreadable /etc/passwd: one note naming it, the files section skipped, no stack trace', (t) => {
  const root = hostTree(t, { '/etc/passwd': { dir: true }, '/etc/docker/daemon.json': root0(0o666) });
  const r = runCli(['audit', '--root', root, '--sections', 'files', '-f', 'json']);
  assert.equal(r.code, 0);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(report.notes, ['the files section could not read /etc/passwd: is a directory; its checks did not run']);
  assert.deepEqual(report.findings, []);
  assert.match(r.stderr, /could not read \/etc\/passwd: is a directory/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a file out of reach is a note; the other files are still checked (root without DAC_OVERRIDE and a folder of mode 0600)', (t) => {
  const root = hostTree(t, { ...wellKept(), '/etc/docker/daemon.json': root0(0o666, '{}\n'), '/run/containerd': { dir: true, mode: 0o600, uid: 0, gid: 0 } });
  mkdirSync(join(root, 'run/containerd/x'));
  // Root with no capability at all, as in a container run with --cap-drop ALL: a folder whose mode denies its owner cannot be searched.
  const r = runCli(['audit', '--root', root, '--sections', 'files', '-f', 'json', '--fail-on', 'none'], { wrap: ['setpriv', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--'] });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(report.notes, ['files section: could not read /run/containerd/containerd.sock: permission denied; its owner and mode were not checked']);
  assert.deepEqual(findingsOf(report, 'daemon-file-too-permissive').map((f) => f.subject.name), ['/etc/docker/daemon.json'], 'the files after it were checked');
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

// ---------------------------------------------------------------------------
// The collector with the daemon's settings, as the daemon section gives them
// (its collector is another part of the host audit).

function setting(value: unknown, where: { flag: string } | { key: string; line: number }): Setting {
  return 'flag' in where
    ? { origin: 'explicit', value, path: `dockerd ${where.flag}`, from: 'flag', args: [`${where.flag}=${String(value)}`] }
    : { origin: 'explicit', value, path: where.key, loc: { file: '/etc/docker/daemon.json', line: where.line, column: 3 }, from: 'file' };
}

function daemonWith(settings: Record<string, Setting>, configPath = '/etc/docker/daemon.json'): DaemonConfig {
  return { name: 'h', configFile: { path: configPath, exists: true }, settings: new Map(Object.entries(settings)), complete: true };
}

async function collectWith(root: string, daemon: DaemonConfig | undefined): Promise<{ files: readonly HostFile[]; messages: string[] }> {
  const host: Host = { root, name: 'h', ...(daemon ? { daemon } : {}) };
  const files = await collectFiles({ root: new HostRoot(root) }, host);
  const findings = runRules({ containers: [], host: { ...host, files } }, RULES.filter((r) => r.needs.includes('host-files')));
  return { files, messages: findings.map((f) => `${f.rule.name} ${f.severity} ${f.message}`) };
}

const TLS_TREE: Record<string, HostEntry> = {
  '/etc/passwd': PASSWD,
  '/etc/group': GROUP,
  '/srv/tls/ca.pem': root0(0o644),
  '/srv/tls/cert.pem': root0(0o444),
  '/srv/tls/key.pem': root0(0o440),
};

test('TLS files: the daemon\'s CA, certificate and key when it verifies clients, with where each path was set', async (t) => {
  const root = hostTree(t, TLS_TREE);
  const { files, messages } = await collectWith(
    root,
    daemonWith({
      tlsverify: setting(true, { flag: '--tlsverify' }),
      tlscacert: setting('/srv/tls/ca.pem', { key: 'tlscacert', line: 3 }),
      tlscert: setting('/srv/tls/cert.pem', { key: 'tlscert', line: 4 }),
      tlskey: setting('/srv/tls/key.pem', { flag: '--tlskey' }),
    }),
  );
  assert.deepEqual(
    files.map((f) => [f.path, f.role, f.from, f.mode.toString(8)]),
    [
      ['/srv/tls/ca.pem', 'TLS CA certificate', '/etc/docker/daemon.json:3 tlscacert', '644'],
      ['/srv/tls/cert.pem', 'TLS server certificate', '/etc/docker/daemon.json:4 tlscert', '444'],
      ['/srv/tls/key.pem', 'TLS server key', 'dockerd --tlskey', '440'],
    ],
  );
  assert.deepEqual(messages.sort(), [
    'daemon-file-too-permissive high TLS server key /srv/tls/key.pem (set by dockerd --tlskey) has mode 0440, more than 0400 allows: group read (CIS 3.14): chmod g-r /srv/tls/key.pem',
    'daemon-file-too-permissive medium TLS CA certificate /srv/tls/ca.pem (set by /etc/docker/daemon.json:3 tlscacert) has mode 0644, more than 0444 allows: owner write (CIS 3.10): chmod u-w /srv/tls/ca.pem',
  ]);
});

test('TLS files the daemon does not use are not checked: no TLS at all, or no client verification for the CA', async (t) => {
  const root = hostTree(t, { ...TLS_TREE, '/srv/tls/key.pem': { text: 'k', mode: 0o644, uid: ALICE, gid: 0 } });
  const paths = {
    tlscacert: setting('/srv/tls/ca.pem', { key: 'tlscacert', line: 2 }),
    tlscert: setting('/srv/tls/cert.pem', { key: 'tlscert', line: 3 }),
    tlskey: setting('/srv/tls/key.pem', { key: 'tlskey', line: 4 }),
  };
  const off = await collectWith(root, daemonWith({ ...paths, tls: setting(false, { key: 'tls', line: 5 }) }));
  assert.deepEqual(off.files, []);
  assert.deepEqual(off.messages, []);
  // tlsverify given at all turns TLS on in dockerd; false means the CA is not used to verify clients.
  const noVerify = await collectWith(root, daemonWith({ ...paths, tlsverify: setting(false, { flag: '--tlsverify' }) }));
  assert.deepEqual(noVerify.files.map((f) => f.role), ['TLS server certificate', 'TLS server key']);
  assert.deepEqual(noVerify.messages.sort(), [
    'daemon-file-too-permissive high TLS server key /srv/tls/key.pem (set by /etc/docker/daemon.json:4 tlskey) has mode 0644, more than 0400 allows: owner write, group read, others read (CIS 3.14): chmod u-w,g-r,o-r /srv/tls/key.pem',
    'daemon-file-wrong-owner high TLS server key /srv/tls/key.pem (set by /etc/docker/daemon.json:4 tlskey) is owned by hostalice:root, not root:root (CIS 3.13): chown root:root /srv/tls/key.pem',
  ]);
  // Without the daemon's settings (its section not run) no TLS path is known.
  assert.deepEqual((await collectWith(root, undefined)).files, []);
});

test('Docker sockets from the daemon\'s hosts: unix:// paths, fd:// as docker.socket listens (drop-ins applied), none for TCP only', async (t) => {
  const root = hostTree(t, {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/var/run': { symlink: '/run' },
    '/lib/systemd/system/docker.socket': root0(0o644, '[Socket]\nListenStream=/run/docker.sock\nSocketMode=0660\n'),
    '/etc/systemd/system/docker.socket.d/10-move.conf': root0(0o644, '[Socket]\nListenStream=\nListenStream=%t/moved.sock\nListenStream=2375\n'),
  });
  await sockets(t, root, {
    '/run/docker.sock': { mode: 0o666, uid: 0, gid: DOCKER },
    '/run/moved.sock': { mode: 0o660, uid: 0, gid: ALICE },
    '/run/custom.sock': { mode: 0o660, uid: 0, gid: 0 },
  });
  const socketsOf = async (hosts: unknown) => {
    const { files, messages } = await collectWith(root, daemonWith({ hosts: setting(hosts, { flag: '-H' }) }));
    return { sockets: files.filter((f) => f.role === 'Docker socket').map((f) => `${f.path} ${f.from}`), messages };
  };
  assert.deepEqual((await socketsOf(['unix:///run/custom.sock', 'tcp://0.0.0.0:2376'])).sockets, ['/run/custom.sock dockerd -H']);
  assert.deepEqual((await socketsOf(['unix://'])).sockets, ['/var/run/docker.sock dockerd -H']);
  assert.deepEqual((await socketsOf(['tcp://127.0.0.1:2376'])).sockets, []);
  const fd = await socketsOf(['fd://']);
  assert.deepEqual(fd.sockets, ['/run/moved.sock /etc/systemd/system/docker.socket.d/10-move.conf:3 ListenStream']);
  assert.ok(fd.messages.includes('daemon-file-wrong-owner high Docker socket /run/moved.sock (set by /etc/systemd/system/docker.socket.d/10-move.conf:3 ListenStream) is owned by root:hostalice, not root:docker (CIS 3.15): chown root:docker /run/moved.sock'), fd.messages.join('\n'));
  // Without hosts, the default socket; one file by two names is one subject.
  const byDefault = await collectWith(root, daemonWith({}));
  assert.deepEqual(byDefault.files.filter((f) => f.role === 'Docker socket').map((f) => f.path), ['/var/run/docker.sock']);
  assert.ok(byDefault.messages.some((m) => m.startsWith('daemon-file-too-permissive critical Docker socket /var/run/docker.sock has mode 0666')));
});

test('the socket group is the daemon\'s own (dockerd -G), and root is never the wrong group', async (t) => {
  const root = hostTree(t, { '/etc/passwd': PASSWD, '/etc/group': `${GROUP}dockerusers:x:1500:\n`, '/var/run': { symlink: '/run' } });
  await sockets(t, root, { '/run/docker.sock': { mode: 0o660, uid: 0, gid: DOCKER } });
  const group = (value: string) => daemonWith({ group: setting(value, { key: 'group', line: 2 }) });
  assert.deepEqual((await collectWith(root, group('docker'))).messages, []);
  assert.deepEqual((await collectWith(root, group(String(DOCKER)))).messages, []);
  assert.deepEqual((await collectWith(root, group('dockerusers'))).messages, [
    'daemon-file-wrong-owner high Docker socket /var/run/docker.sock is owned by root:docker, not root:dockerusers (CIS 3.15): chown root:dockerusers /var/run/docker.sock',
  ]);
  chownSync(join(root, 'run/docker.sock'), 0, 0);
  assert.deepEqual((await collectWith(root, group('dockerusers'))).messages, []);
});

test('daemon.json is the daemon\'s --config-file when it has one', async (t) => {
  const root = hostTree(t, {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/etc/docker/daemon.json': root0(0o644),
    '/srv/docker/daemon.json': root0(0o664),
  });
  const { files, messages } = await collectWith(root, daemonWith({}, '/srv/docker/daemon.json'));
  assert.deepEqual(files.filter((f) => f.role === 'daemon.json').map((f) => f.path), ['/srv/docker/daemon.json']);
  assert.deepEqual(messages, [
    'daemon-file-too-permissive medium /srv/docker/daemon.json (set by dockerd --config-file) has mode 0664, more than 0644 allows: group write (CIS 3.18): chmod g-w /srv/docker/daemon.json',
  ]);
});

test('property: any /etc/passwd and /etc/group text gives names, never a crash', async (t) => {
  const line = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 3 }), fc.oneof(fc.nat().map(String), fc.string({ maxLength: 12 })), fc.string({ maxLength: 10 })).map((p) => p.join(':')),
  );
  const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n'));
  fc.assert(
    fc.property(text, (passwd) => {
      const names = idNames(passwd);
      for (const [id, name] of names) {
        assert.ok(Number.isInteger(id) && id >= 0 && id <= 0xffffffff);
        assert.ok(name.length > 0 && !name.includes(':') && !name.includes('\n'));
      }
    }),
    { numRuns: 3000 },
  );
  // And through the collector and the rules, from files on a host tree.
  const root = hostTree(t, { '/etc/docker/daemon.json': { text: '{}', mode: 0o666, uid: ALICE, gid: DOCKER } });
  await fc.assert(
    fc.asyncProperty(text, text, async (passwd, group) => {
      writeFileSync(join(root, 'etc/passwd'), passwd);
      writeFileSync(join(root, 'etc/group'), group);
      const { messages } = await collectWith(root, undefined);
      assert.equal(messages.length, 2);
      const named = idNames(passwd).get(ALICE) ?? String(ALICE);
      assert.ok(messages.some((m) => m.includes(`is owned by ${named}:`)), messages.join('\n'));
    }),
    { numRuns: 200 },
  );
});

test('idNames: the first entry for an id wins; comments, NIS entries and ids beyond 32 bits are skipped', () => {
  const names = idNames('#x:x:1:\n+nis:x:2:\nfirst:x:3:\nsecond:x:3:\nhuge:x:99999999999:\n-minus:x:4:\n');
  assert.deepEqual([...names], [[3, 'first']]);
});
