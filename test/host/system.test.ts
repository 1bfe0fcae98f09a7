/**
 * Section host (CIS 1.x) through the real CLI: host trees with real files,
 * owners and modes audited with --root, the real kernel audit with
 * auditctl, the private engine for its DockerRootDir, and the parsers under
 * arbitrary input.
 */
import test, { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { holdKernelAudit } from '../support/kernel-audit.js';
import { hostTree, type HostEntry } from '../support/host-tree.js';
import { docker, engineTest, runCli } from '../support/env.js';
import { parseMounts } from '../../src/inputs/host/mounts.js';
import { parseGroup, parsePasswd } from '../../src/inputs/host/accounts.js';
import { inForce, parseAuditctlList, parseAuditRules } from '../../src/inputs/host/audit-rules.js';

interface JsonFinding {
  ruleName: string;
  severity: string;
  message: string;
  subject: { kind: string; name: string };
  location: { path: string; file?: string; line?: number; column?: number };
}

interface Audited {
  code: number;
  findings: JsonFinding[];
  notes: string[];
  stderr: string;
}

/** `audit --root DIR --sections host -f json`, as a user runs it; no engine is contacted for this section. */
function auditRoot(root: string, extra: readonly string[] = []): Audited {
  const r = runCli(['audit', '--root', root, '--sections', 'host', '-f', 'json', '--fail-on', 'none', '-H', 'unix:///nonexistent/docker.sock', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const doc = JSON.parse(r.stdout) as { findings: JsonFinding[]; notes: string[] };
  return { code: r.code, findings: doc.findings, notes: doc.notes, stderr: r.stderr };
}

const named = (a: Audited, rule: string) => a.findings.filter((f) => f.ruleName === rule);

/** A host with Docker installed the way Debian does it, and nothing audited. */
const DEBIAN_DOCKER: Record<string, HostEntry> = {
  'etc/hostname': 'dockhost\n',
  bin: { symlink: 'usr/bin' }, // merged /usr
  'usr/sbin/dockerd': { text: '#!dockerd', mode: 0o755 },
  'usr/bin/runc': { text: '#!runc', mode: 0o755 },
  'usr/bin/containerd': { text: '#!containerd', mode: 0o755 },
  'etc/docker/daemon.json': '{}\n',
  'lib/systemd/system/docker.service': '[Service]\nExecStart=/usr/sbin/dockerd\n',
  'lib/systemd/system/docker.socket': '[Socket]\n',
  'var/lib/docker': { dir: true, mode: 0o710 },
};

// ---------------------------------------------------------------- 1.1.1

const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid 0 0', //                          1
  '/dev/vda1 / ext4 rw,relatime 0 0', //                        2
  '/dev/vdb1 /var/lib/docker2 ext4 rw,relatime 0 0', //         3: a prefix of the name, not a parent
  'tmpfs /run tmpfs rw,nosuid,nodev 0 0', //                    4
].join('\n');

test("docker-root-not-separate-partition: bad, /var/lib/docker on /, reported at /'s line of the host's mount table", (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'proc/1/mounts': `${MOUNTS}\n` });
  const [f, ...more] = named(auditRoot(root), 'docker-root-not-separate-partition');
  assert.ok(f, 'a finding');
  assert.equal(more.length, 0);
  assert.deepEqual(f.subject, { kind: 'host', name: 'dockhost' });
  assert.equal(f.message, 'the Docker root dir /var/lib/docker is on the partition mounted at / (/dev/vda1, ext4), not on one of its own');
  assert.deepEqual(f.location, { file: '/proc/1/mounts', line: 2, column: 1, path: 'mounts["/"]' });
});

test('docker-root-not-separate-partition: bad, a bind mount from the same device as / is not a partition of its own', (t) => {
  const bind = `${MOUNTS}\n/dev/vda1 /var/lib/docker ext4 rw,relatime 0 0\n`;
  const [f] = named(auditRoot(hostTree(t, { ...DEBIAN_DOCKER, 'proc/1/mounts': bind })), 'docker-root-not-separate-partition');
  assert.ok(f);
  assert.match(f.message, /is mounted from \/dev\/vda1, the same device as \/: a bind mount/);
  assert.equal(f.location.line, 5);
});

test('docker-root-not-separate-partition: good, its own partition; a symlinked root dir is judged where it really is; no Docker root, no finding', (t) => {
  const own = hostTree(t, { ...DEBIAN_DOCKER, 'proc/1/mounts': `${MOUNTS}\n/dev/vdc1 /var/lib/docker xfs rw 0 0\n` });
  assert.deepEqual(named(auditRoot(own), 'docker-root-not-separate-partition'), []);

  // Escaped names (\040 is a space) are decoded as the kernel writes them.
  const linked = hostTree(t, {
    ...DEBIAN_DOCKER,
    'var/lib/docker': { symlink: '/srv/docker data' },
    'srv/docker data': { dir: true },
    'proc/1/mounts': `${MOUNTS}\n/dev/vdc1 /srv/docker\\040data xfs rw 0 0\n`,
  });
  assert.deepEqual(named(auditRoot(linked), 'docker-root-not-separate-partition'), []);

  const { ['var/lib/docker']: _, ...noDocker } = DEBIAN_DOCKER;
  const absent = hostTree(t, { ...noDocker, 'proc/1/mounts': `${MOUNTS}\n` });
  assert.deepEqual(named(auditRoot(absent), 'docker-root-not-separate-partition'), [], 'no Docker root dir on the host: nothing to judge');
});

test('the mount table is PID 1\'s under the root, not /etc/mtab (which shows the reader\'s mounts); /etc/mtab only without /proc', (t) => {
  const both = hostTree(t, {
    ...DEBIAN_DOCKER,
    'proc/1/mounts': `${MOUNTS}\n`,
    'etc/mtab': '/dev/vdc1 /var/lib/docker xfs rw 0 0\n/dev/vda1 / ext4 rw 0 0\n',
  });
  assert.equal(named(auditRoot(both), 'docker-root-not-separate-partition').length, 1, '/proc/1/mounts wins');

  const oldHost = hostTree(t, { ...DEBIAN_DOCKER, 'etc/mtab': '/dev/vda1 / ext4 rw 0 0\n' });
  const [f] = named(auditRoot(oldHost), 'docker-root-not-separate-partition');
  assert.deepEqual(f?.location, { file: '/etc/mtab', line: 1, column: 1, path: 'mounts["/"]' });

  const none = auditRoot(hostTree(t, { ...DEBIAN_DOCKER }));
  assert.deepEqual(named(none, 'docker-root-not-separate-partition'), []);
  assert.ok(none.notes.some((n) => /no mount table/.test(n)), none.notes.join('\n'));
});

engineTest("docker-root-not-separate-partition: the engine's DockerRootDir, from /info, is the folder judged", (_t, host) => {
  const dataRoot = docker(['info', '-f', '{{.DockerRootDir}}']);
  const r = runCli(['audit', '--sections', 'host,containers', '-H', host, '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.ruleName === 'docker-root-not-separate-partition');
  // The private engine's data-root is a temp folder, never a mount point of its own.
  assert.equal(findings.length, 1, JSON.stringify(findings));
  const f = findings[0]!;
  assert.ok(f.message.startsWith(`the Docker root dir ${dataRoot}`), f.message);
  assert.match(f.message, /the engine's DockerRootDir/);
  // The line it names is the mount that holds the data root.
  assert.equal(f.location.file, '/proc/1/mounts');
  const line = readFileSync('/proc/1/mounts', 'utf8').split('\n')[f.location.line! - 1]!;
  const mountPoint = line.split(' ')[1]!;
  assert.ok(dataRoot === mountPoint || mountPoint === '/' || dataRoot.startsWith(`${mountPoint}/`), `${line} holds ${dataRoot}`);
});

// ---------------------------------------------------------------- 1.1.2

const GROUP = ['root:x:0:', 'adm:x:4:syslog', 'docker:x:999:alice, bob', 'dockerish:x:998:eve'].join('\n');
const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'alice:x:1000:1000::/home/alice:/bin/bash',
  'carol:x:1002:999:builds:/home/carol:/bin/sh', // primary group docker
  'eve:x:1003:998::/home/eve:/bin/sh',
].join('\n');

test('docker-group-members: bad, listed members and users whose primary group is docker, at the /etc/group line', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/group': `${GROUP}\n`, 'etc/passwd': `${PASSWD}\n` });
  const [f, ...more] = named(auditRoot(root), 'docker-group-members');
  assert.ok(f);
  assert.equal(more.length, 0);
  assert.equal(f.severity, 'info');
  assert.equal(f.message, 'the docker group (gid 999) has 3 members, who can control Docker and so act as root on this host: alice, bob, carol (primary group, /etc/passwd:3)');
  assert.deepEqual(f.location, { file: '/etc/group', line: 3, column: 1, path: 'groups.docker' });
});

test('docker-group-members: good, an empty docker group or none at all', (t) => {
  const empty = hostTree(t, { ...DEBIAN_DOCKER, 'etc/group': 'root:x:0:\ndocker:x:999:\n', 'etc/passwd': `${PASSWD.replace(':999:', ':1002:')}\n` });
  assert.deepEqual(named(auditRoot(empty), 'docker-group-members'), []);
  const none = hostTree(t, { ...DEBIAN_DOCKER, 'etc/group': 'root:x:0:\ndockerish:x:998:eve\n', 'etc/passwd': `${PASSWD}\n` });
  assert.deepEqual(named(auditRoot(none), 'docker-group-members'), []);
});

test('a damaged /etc/group: its bad lines are a note naming file and line; the good lines still count', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/group': 'root:x:0:\nthis is not a group\n\u0001\u0002:zz\ndocker:x:999:alice\n' });
  const a = auditRoot(root);
  assert.equal(named(a, 'docker-group-members').length, 1);
  assert.ok(a.notes.some((n) => n === 'host section: /etc/group:2: not a group entry: "this is not a group" (and 1 more line like it)'), a.notes.join('\n'));
});

test('an unreadable /etc/group is a one-line note; the other checks still run', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/group': { dir: true }, 'proc/1/mounts': `${MOUNTS}\n` });
  const a = auditRoot(root);
  assert.ok(a.notes.includes('host section: could not read /etc/group: is a directory; the docker group was not checked'), a.notes.join('\n'));
  assert.equal(named(a, 'docker-root-not-separate-partition').length, 1);
  assert.ok(named(a, 'docker-path-not-audited').length > 0);
});

// ---------------------------------------------------------------- 1.1.3–1.1.18

const PATHS_ON_DEBIAN_DOCKER = ['/usr/sbin/dockerd', '/var/lib/docker', '/etc/docker', '/lib/systemd/system/docker.service', '/lib/systemd/system/docker.socket', '/etc/docker/daemon.json', '/usr/bin/containerd', '/usr/bin/runc'];

const unaudited = (a: Audited) => named(a, 'docker-path-not-audited');
const pathsOf = (fs: JsonFinding[]) => fs.map((f) => /^CIS 1\.1\.\d+: ([^\s,]+)/.exec(f.message)?.[1]).sort();

test('docker-path-not-audited: bad, no audit rules at all: every CIS path that exists, each with its item, none that does not', (t) => {
  const a = auditRoot(hostTree(t, DEBIAN_DOCKER));
  const fs = unaudited(a);
  assert.deepEqual(pathsOf(fs), [...PATHS_ON_DEBIAN_DOCKER].sort());
  const byPath = new Map(fs.map((f) => [pathsOf([f])[0], f]));
  assert.equal(byPath.get('/usr/sbin/dockerd')?.message, 'CIS 1.1.3: /usr/sbin/dockerd, the Docker daemon, is not watched by any audit rule');
  assert.match(byPath.get('/lib/systemd/system/docker.service')!.message, /^CIS 1\.1\.7: .*the docker\.service unit/);
  assert.match(byPath.get('/usr/bin/runc')!.message, /^CIS 1\.1\.18: /);
  assert.match(byPath.get('/var/lib/docker')!.message, /^CIS 1\.1\.5: /);
  assert.ok(fs.every((f) => f.subject.kind === 'host' && f.location.file === undefined), 'a missing watch has no line of its own');
  // /bin/runc is /usr/bin/runc on a merged-/usr host: one finding, not two.
  assert.equal(fs.filter((f) => f.message.includes('runc')).length, 1);
});

const RULES_BAD = [
  '## docker rules', //                                                           1
  '-D', //                                                                        2
  '-w /etc/docker -p wa -k docker', //                                            3: the folder covers daemon.json below it
  '   -w /usr/sbin/dockerd -p x -k docker', //                                   4: executions only
  '-a always,exit -F path=/usr/bin/runc -F perm=wa -F auid>=1000 -k docker', //   5: only some users: does not count
  '-a always,exit -F path=/lib/systemd/system -F perm=wa -k docker', //           6: path= is that inode only, not below it
  '-w /var/lib/docker -p w -k docker', //                                         7: writes, not attribute changes
  '-a always,exit -F path=/usr/bin/containerd -F perm=wa -C auid!=obj_uid', //    8: compared with the owner: narrowed
].join('\n');

test('docker-path-not-audited: bad, watches that miss a kind of change, narrowed rules and non-recursive ones, at their lines', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': `${RULES_BAD}\n` });
  const a = auditRoot(root);
  assert.ok(!a.notes.some((n) => n.includes('docker.rules')), `every line is one auditctl takes: ${a.notes.join('\n')}`);
  const fs = unaudited(a);
  assert.deepEqual(pathsOf(fs), ['/lib/systemd/system/docker.service', '/lib/systemd/system/docker.socket', '/usr/bin/containerd', '/usr/bin/runc', '/usr/sbin/dockerd', '/var/lib/docker']);
  const dockerd = fs.find((f) => f.message.includes('/usr/sbin/dockerd'))!;
  assert.equal(
    dockerd.message,
    "CIS 1.1.3: /usr/sbin/dockerd, the Docker daemon, is watched only for 'x' (-w /usr/sbin/dockerd -p x): changes to its content (w) and changes to its owner and mode (a) are not recorded",
  );
  assert.deepEqual(dockerd.location, { file: '/etc/audit/rules.d/docker.rules', line: 4, column: 4, path: 'audit.watch["/usr/sbin/dockerd"]' });
  const data = fs.find((f) => f.message.includes('/var/lib/docker'))!;
  assert.match(data.message, /watched only for 'w' .*: changes to its owner and mode \(a\) is not recorded$/);
  assert.equal(data.location.line, 7);
  assert.equal(fs.find((f) => f.message.includes('/usr/bin/runc'))!.message, 'CIS 1.1.18: /usr/bin/runc, runc, is not watched by any audit rule');
});

const RULES_GOOD = [
  '# every CIS path of this host, in each form auditctl takes',
  '-w /usr/sbin/dockerd -p wa -k docker',
  '-w /bin/runc -k docker', //                                                             /bin is /usr/bin here; no -p is rwxa
  '-a always,exit -F arch=b64 -S all -F path=/usr/bin/containerd -F perm=wa -F key=docker',
  '-a exit,always -F dir=/lib/systemd/system -F perm=aw -k docker', //                      recursive: both units below
  '-w /etc/docker/ -p rwxa -k docker', //                                                   trailing slash, recursive
  '-w /var/lib/docker -p w -k docker',
  '-w /var/lib/docker -p a -k docker-attr', //                                              two watches together hold w and a
].join('\n');

test('docker-path-not-audited: good, every path covered by -w, syscall rules, folders above it, or watches that together hold w and a', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': `${RULES_GOOD}\n`, 'proc/1/mounts': `${MOUNTS}\n/dev/vdc1 /var/lib/docker xfs rw 0 0\n` });
  const a = auditRoot(root);
  assert.deepEqual(unaudited(a), []);
  assert.deepEqual(a.notes, [], 'every line understood, every file read');
  assert.equal(named(a, 'docker-group-members').length + named(a, 'docker-root-not-separate-partition').length, 0);
});

test('docker-path-not-audited: rule files load in augenrules order (ls -v), -W removes the identical watch, audit.rules counts too', (t) => {
  const base = { ...DEBIAN_DOCKER, 'etc/audit/rules.d/50-all.rules': `${RULES_GOOD}\n` };
  // 9- loads before 10-: its -W comes after the watch and removes it. (In plain byte order 10- would come first.)
  const removed = hostTree(t, { ...base, 'etc/audit/rules.d/9-extra.rules': '-w /usr/sbin/dockerd -p wa -k docker\n', 'etc/audit/rules.d/10-drop.rules': '-W /usr/sbin/dockerd -p wa -k docker\n', 'etc/audit/rules.d/60-drop.rules': '-W /usr/sbin/dockerd -p wa -k docker\n' });
  assert.deepEqual(pathsOf(unaudited(auditRoot(removed))), ['/usr/sbin/dockerd']);
  // A -W that does not match exactly (another key) removes nothing, as in the kernel; augenrules moves a -D to the top of what it loads.
  const kept = hostTree(t, { ...base, 'etc/audit/rules.d/60-drop.rules': '-W /usr/sbin/dockerd -p wa -k other\n', 'etc/audit/rules.d/99-late.rules': '-D\n' });
  assert.deepEqual(unaudited(auditRoot(kept)), []);
  // A file not named *.rules is not loaded by augenrules.
  const ignored = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules.disabled': `${RULES_GOOD}\n` });
  assert.equal(unaudited(auditRoot(ignored)).length, PATHS_ON_DEBIAN_DOCKER.length);
  // audit.rules (what auditctl -R loads): a -D there does remove what came before it.
  const auditRules = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/audit.rules': `-w /usr/bin/runc -p wa\n-D\n${RULES_GOOD.replace('-w /bin/runc -k docker', '')}\n` });
  assert.deepEqual(pathsOf(unaudited(auditRoot(auditRules))), ['/usr/bin/runc']);
});

test('docker-path-not-audited: bad, `-a never,task` turns auditing off for every process: reported at its line', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': `${RULES_GOOD}\n`, 'etc/audit/rules.d/00-off.rules': '# quiet\n-a task,never\n' });
  const fs = unaudited(auditRoot(root));
  assert.equal(fs.length, PATHS_ON_DEBIAN_DOCKER.length);
  assert.ok(fs.every((f) => /-a never,task turns off auditing of every process/.test(f.message)));
  assert.deepEqual(fs[0]!.location, { file: '/etc/audit/rules.d/00-off.rules', line: 2, column: 1, path: 'audit.never-task' });
});

test('docker-path-not-audited: good, a masked docker.service (linked to /dev/null) and absent paths need no watch', (t) => {
  const root = hostTree(t, {
    ...DEBIAN_DOCKER,
    'etc/systemd/system/docker.service': { symlink: '/dev/null' },
    'etc/audit/rules.d/docker.rules': `${RULES_GOOD.replace('-a exit,always -F dir=/lib/systemd/system -F perm=aw -k docker', '-w /lib/systemd/system/docker.socket -p wa')}\n`,
  });
  assert.deepEqual(unaudited(auditRoot(root)), []);
});

test('bad lines in rule files are noted with file and line and not counted; an unreadable rule file means no audit findings, with a note', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': `-w usr/sbin/dockerd -p wa\n-w /usr/sbin/dockerd -p wq\n${RULES_GOOD.replace('-w /usr/sbin/dockerd -p wa -k docker', '')}\n` });
  const a = auditRoot(root);
  assert.deepEqual(pathsOf(unaudited(a)), ['/usr/sbin/dockerd']);
  assert.ok(a.notes.includes('host section: /etc/audit/rules.d/docker.rules:1: a watch needs an absolute path: "-w usr/sbin/dockerd -p wa" (and 1 more line like it)'), a.notes.join('\n'));

  const unreadable = auditRoot(hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/audit.rules': { dir: true } }));
  assert.deepEqual(unaudited(unreadable), [], 'coverage unknown: no finding');
  assert.ok(unreadable.notes.includes('host section: could not read /etc/audit/audit.rules: is a directory; the audit watches (CIS 1.1.3–1.1.18) were not checked'), unreadable.notes.join('\n'));
});

test('a CIS path that cannot be looked up is a note, not a finding; the other paths are still checked', (t) => {
  const { ['etc/docker/daemon.json']: _, ...rest } = DEBIAN_DOCKER;
  const root = hostTree(t, { ...rest, 'etc/docker': { symlink: '/etc/docker' } }); // a loop
  const a = auditRoot(root);
  assert.deepEqual(pathsOf(unaudited(a)), PATHS_ON_DEBIAN_DOCKER.filter((p) => !p.startsWith('/etc/docker')).sort());
  assert.ok(a.notes.includes('host section: could not read /etc/docker: too many levels of symbolic links; whether it is audited (CIS 1.1.6) was not checked'), a.notes.join('\n'));
  assert.ok(a.notes.some((n) => n.includes('(CIS 1.1.11) was not checked')), a.notes.join('\n'));
});

test('text output names the rule file position of a weak watch, and the loaded rules are not read under --root', (t) => {
  const root = hostTree(t, { ...DEBIAN_DOCKER, 'etc/audit/rules.d/docker.rules': `${RULES_BAD}\n` });
  const r = runCli(['audit', '--root', root, '--sections', 'host', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\/etc\/audit\/rules\.d\/docker\.rules:4:4/);
  assert.doesNotMatch(r.stdout + r.stderr, /auditctl/, 'auditctl is not asked about another root');
});

// ---------------------------------------------------------------- auditd for real

/** Where Debian's auditd package puts it (a non-root PATH may lack /usr/sbin). */
const AUDITCTL = ['/usr/sbin/auditctl', '/sbin/auditctl'].find((p) => existsSync(p)) ?? 'auditctl';

function auditctl(args: readonly string[]): { code: number; out: string } {
  const r = spawnSync(AUDITCTL, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Loads one watch in the kernel and removes it when the test ends, whatever happens. */
function loadWatch(t: TestContext, path: string, perms: string): void {
  const key = `bulkhead-test-${randomBytes(6).toString('hex')}`;
  const rule = [path, '-p', perms, '-k', key];
  t.after(() => {
    auditctl(['-W', ...rule]);
    auditctl(['-D', '-k', key]); // belt and braces: nothing with our key stays
    assert.doesNotMatch(auditctl(['-l']).out, new RegExp(key), 'the test watch was removed');
  });
  const loaded = auditctl(['-w', ...rule]);
  assert.equal(loaded.code, 0, `auditctl -w ${rule.join(' ')}: ${loaded.out}`);
  assert.match(auditctl(['-l']).out, new RegExp(`-w ${path} -p ${perms} -k ${key}`));
}

/** The CIS paths this machine has that no rule watches, as an audit of / sees them. */
function unauditedHere(): JsonFinding[] {
  const r = runCli(['audit', '--sections', 'host', '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  return unaudited({ code: r.code, stderr: r.stderr, ...(JSON.parse(r.stdout) as { findings: JsonFinding[]; notes: string[] }) });
}

const canAudit = process.getuid?.() === 0 && spawnSync(AUDITCTL, ['-s']).status === 0;

/** A test that loads rules in the kernel's audit: skipped loudly without root and auditctl, failed when CI requires every test to run. */
function auditdTest(name: string, fn: (t: TestContext) => void): void {
  test(name, (t) => {
    if (!canAudit) {
      if (process.env['BULKHEAD_REQUIRE_ENGINE'] === '1') throw new Error('BULKHEAD_REQUIRE_ENGINE=1 but auditctl cannot run (needs root and auditd: scripts/test.sh installs it)');
      process.stderr.write(`\n*** SKIPPED (no auditctl or not root): ${name}\n`);
      t.skip('needs root and auditctl (scripts/test.sh installs auditd)');
      return;
    }
    holdKernelAudit(t); // auditd generate's tests load CIS watches too
    fn(t);
  });
}

auditdTest('auditd for real: a watch loaded with auditctl is counted by an audit of /, and removed after', (t) => {
  const before = unauditedHere();
  // A CIS program on this machine (the test set-up installs docker.io, so runc and containerd are here), unwatched so far.
  const target = before.map((f) => ({ f, path: /^CIS 1\.1\.\d+: ([^\s,]+)(?: \(really ([^\s,)]+)\))?/.exec(f.message) })).find((x) => x.path && /\/(runc|containerd|dockerd)$/.test(x.path[1]!));
  assert.ok(target, `no unwatched CIS program on this machine: ${before.map((f) => f.message).join('\n')}`);
  const path = target.path![2] ?? target.path![1]!;
  assert.ok(existsSync(path));

  // Executions only: still reported, now as a weak watch loaded in the kernel.
  loadWatch(t, path, 'x');
  const weak = unauditedHere().find((f) => f.message.includes(path));
  assert.ok(weak, 'a watch for x alone does not cover changes');
  assert.match(weak.message, /is watched only for 'x' .*loaded in the kernel \(auditctl -l\)/);

  loadWatch(t, path, 'wa');
  const after = unauditedHere();
  assert.ok(!after.some((f) => f.message.includes(path)), `${path} is watched now: ${after.map((f) => f.message).join('\n')}`);
  assert.equal(after.length, before.length - 1, 'the other paths are still reported');
});

auditdTest('auditctl -l output as this kernel prints it: file and syscall watches, spaces in paths', (t) => {
  const key = `bulkhead-test-${randomBytes(6).toString('hex')}`;
  const dir = hostTree(t, { 'a b/file': 'x' });
  const rules = [
    ['-w', `${dir}/a b/file`, '-p', 'wa', '-k', key],
    ['-a', 'always,exit', '-F', `path=${dir}/a b`, '-F', 'perm=w', '-k', key],
    ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'all', '-F', `dir=${dir}`, '-F', 'perm=a', '-k', key],
  ];
  t.after(() => {
    auditctl(['-D', '-k', key]);
    assert.doesNotMatch(auditctl(['-l']).out, new RegExp(key));
  });
  for (const r of rules) assert.equal(auditctl(r).code, 0, r.join(' '));
  const listed = execFileSync(AUDITCTL, ['-l'], { encoding: 'utf8' });
  const ours = listed.split('\n').filter((l) => l.includes(key)).join('\n');
  const { items, problems } = parseAuditctlList(ours);
  assert.deepEqual(problems, []);
  const watches = inForce(items, false).watches.map((w) => [w.path, w.recursive, w.permissions]);
  assert.deepEqual(watches, [
    [`${dir}/a b/file`, true, 'wa'],
    [`${dir}/a b`, true, 'w'], // auditctl prints a path= rule as -w, as the kernel stores both the same way
    [dir, true, 'a'],
  ]);
});

// ---------------------------------------------------------------- robustness

/** Text close to what the parsers read, and plain garbage. */
const hostText = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('-w', '-W', '-p', '-k', '-a', '-A', '-d', '-D', '-F', '-S', '-C', 'always,exit', 'never,task', 'path=/x', 'dir=/', 'perm=wa', 'perm=q', '/usr/bin/runc', '#', '\\040', ':', ',', 'docker', '999', '/'),
          fc.string({ maxLength: 8 }),
        ),
        fc.constantFrom(' ', '\n', ':', '\t', ','),
      ),
      { maxLength: 40 },
    )
    .map((pairs) => pairs.map(([word, sep]) => word + sep).join('')),
);

test('the parsers take any text: facts or one-line problems naming file and line, never a throw', () => {
  fc.assert(
    fc.property(hostText, (text) => {
      for (const { items, problems } of [parseMounts(text, '/m'), parseGroup(text, '/g'), parsePasswd(text, '/p'), parseAuditRules(text, '/r')]) {
        assert.ok(Array.isArray(items));
        for (const p of problems) {
          assert.match(p, /^\/[mgpr]:\d+: /);
          assert.doesNotMatch(p, /[\x00-\x1f\x7f-\x9f\u2028\u2029]/, 'one clean line');
        }
      }
      for (const m of parseMounts(text, '/m').items) assert.ok(m.mountPoint.startsWith('/'));
      for (const g of parseGroup(text, '/g').items) assert.ok(Number.isSafeInteger(g.gid));
      const ops = parseAuditRules(text, '/r').items;
      for (const w of inForce(ops, false).watches) assert.ok(w.path.startsWith('/') && /^r?w?x?a?$/.test(w.permissions) && w.permissions !== '');
      const listed = parseAuditctlList(text);
      assert.ok(listed.problems.every((p) => p.startsWith('auditctl -l: ') && !p.includes('\n')));
    }),
    { numRuns: 3000 },
  );
  // A control character in a bad line shows as its escape, so the note says what the file holds.
  assert.deepEqual(parseGroup('a\x1b[31mb\x9b\n', '/g').problems, ['/g:1: not a group entry: "a\\u001b[31mb\\u009b"']);
});

test('garbage in every file the host section reads: the CLI reports, with notes, and never crashes', (t) => {
  const samples = fc.sample(fc.tuple(hostText, hostText, hostText, hostText), { numRuns: 12, seed: 4 });
  for (const [mounts, group, passwd, rules] of samples) {
    const root = hostTree(t, {
      ...DEBIAN_DOCKER,
      'proc/1/mounts': mounts,
      'etc/group': group,
      'etc/passwd': passwd,
      'etc/audit/rules.d/x.rules': rules,
      'etc/audit/audit.rules': rules,
    });
    const a = auditRoot(root);
    assert.ok(a.notes.every((n) => !n.includes('\n')), 'notes are one line each');
  }
});
