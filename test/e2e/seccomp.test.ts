/**
 * `bulkhead seccomp generate`: real containers on the private engine run
 * under the generated profile (`--security-opt seccomp=FILE`). Ordinary work
 * runs; what the profile denies fails with EPERM, also where the container
 * holds the capability, while the same call succeeds unconfined. A static
 * probe (test/support/seccomp-probe.c) makes the exact calls busybox cannot.
 */
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineHost, engineTest, runCli, TEST_IMAGE } from '../support/env.js';
import { buildProbe, dockerRun, probeResults, tempFolder } from '../support/seccomp-probe.js';

const work = tempFolder('bulkhead-seccomp.');
after(work.remove);
before(() => {
  if (engineHost) buildProbe(work.dir);
});

/** Writes `bulkhead seccomp generate ARGS` to a file in the work folder; returns its path. */
function profile(name: string, args: string[] = []): string {
  const file = join(work.dir, `${name}.json`);
  const r = runCli(['seccomp', 'generate', ...args, '--output', file]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

const under = (seccomp: string | undefined, args: string[]) => dockerRun([...(seccomp ? ['--security-opt', `seccomp=${seccomp}`] : []), ...args]);

/** The probe's answers in a container with the given seccomp option and extra docker flags. */
function probe(seccomp: string | undefined, flags: string[], calls: string[]): Map<string, string> {
  const r = under(seccomp, [...flags, '-v', `${work.dir}:/probe:ro`, TEST_IMAGE, '/probe/probe', ...calls]);
  assert.equal(r.code, 0, r.stderr);
  return probeResults(r.stdout);
}

engineTest('the default profile runs ordinary work, with the filter in place', () => {
  const file = profile('default');
  const r = under(file, [TEST_IMAGE, 'sh', '-c',
    'echo hello && ls / >/dev/null && cat /etc/passwd | grep -c root && mkdir /tmp/d && echo x > /tmp/d/f && mv /tmp/d/f /tmp/d/g && rm -r /tmp/d '
    + '&& chown nobody /tmp && date >/dev/null && ps >/dev/null && (sleep 0.1 & wait) && wget --help 2>&1 | grep -c Usage && grep Seccomp: /proc/self/status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^hello\n1\n1\nSeccomp:\s+2\n$/);
  // Threads (glibc tries clone3, gets ENOSYS, falls back to clone) and plain forks.
  const p = probe(file, [], ['thread', 'clone-plain', 'socket-inet', 'socket-unix', 'personality-query']);
  assert.deepEqual([...p.values()], ['ok', 'ok', 'ok', 'ok', 'ok']);
});

engineTest('--deny mkdir: mkdir fails with "Operation not permitted", and works under the default profile', () => {
  const script = 'mkdir /tmp/x && echo made';
  const denied = under(profile('no-mkdir', ['--deny', 'mkdir']), [TEST_IMAGE, 'sh', '-c', script]);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /can't create directory '\/tmp\/x': Operation not permitted/);
  const allowed = under(profile('default'), [TEST_IMAGE, 'sh', '-c', script]);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.equal(allowed.stdout, 'made\n');
});

engineTest('--deny @chown,rmdir: every chown fails with EPERM, rmdir too, the rest runs', () => {
  const file = profile('no-chown', ['--deny', '@chown,rmdir']);
  const r = under(file, [TEST_IMAGE, 'sh', '-c', 'touch /tmp/f; mkdir /tmp/d; chown nobody /tmp/f; echo chown=$?; chgrp nogroup /tmp/f; echo chgrp=$?; rmdir /tmp/d; echo rmdir=$?; echo ok > /tmp/f && cat /tmp/f']);
  assert.match(r.stdout, /^chown=1\nchgrp=1\nrmdir=1\nok\n$/);
  assert.match(r.stderr, /chown: \/tmp\/f: Operation not permitted/);
  assert.match(r.stderr, /rmdir: '\/tmp\/d': Operation not permitted/);
});

// The calls Docker allows only with a capability: the container holds it here, so a failure is the filter's.
const CAPS = ['--cap-add', 'SYS_ADMIN', '--cap-add', 'SYS_TIME'];
const GATED = ['unshare-uts', 'setns', 'clone-newuts', 'settimeofday', 'ptrace-traceme', 'keyctl', 'personality-no-aslr', 'socket-vsock'];

engineTest('denied groups stay denied with the capability added: EPERM under the profile, allowed unconfined', () => {
  const ours = probe(profile('default'), CAPS, [...GATED, 'clone3', 'mount-tmpfs', 'socket-alg', 'io_uring']);
  for (const call of [...GATED, 'mount-tmpfs', 'socket-alg', 'io_uring']) assert.equal(ours.get(call), 'EPERM', call);
  // clone3's flags are out of the filter's sight: ENOSYS sends the C library to clone, whose flags it checks.
  assert.equal(ours.get('clone3'), 'ENOSYS');
  const unconfined = probe('unconfined', CAPS, [...GATED, 'clone3', 'mount-tmpfs']);
  for (const call of [...GATED, 'clone3', 'mount-tmpfs']) assert.equal(unconfined.get(call), 'ok', call);
});

engineTest('--allow @namespaces lets unshare, setns, clone with namespace flags and clone3 through; --allow @mount lets mount through', () => {
  const file = profile('namespaces', ['--allow', '@namespaces', '--allow', '@mount']);
  const p = probe(file, CAPS, ['unshare-uts', 'setns', 'clone-newuts', 'clone3', 'thread']);
  assert.deepEqual(Object.fromEntries(p), { 'unshare-uts': 'ok', setns: 'ok', 'clone-newuts': 'ok', clone3: 'ok', thread: 'ok' });
  const mounted = under(file, [...CAPS, TEST_IMAGE, 'sh', '-c', 'mount -t tmpfs none /tmp && echo mounted']);
  assert.equal(mounted.stdout, 'mounted\n', mounted.stderr);
  // Without the capability the kernel still refuses: the profile does not grant privilege.
  const noCap = probe(file, [], ['unshare-uts']);
  assert.equal(noCap.get('unshare-uts'), 'EPERM');
});

engineTest('--allow @ptrace and --allow clock calls: allowed one by one', () => {
  const p = probe(profile('ptrace-clock', ['--allow', '@ptrace,settimeofday']), CAPS, ['ptrace-traceme', 'settimeofday', 'keyctl']);
  assert.deepEqual(Object.fromEntries(p), { 'ptrace-traceme': 'ok', settimeofday: 'ok', keyctl: 'EPERM' });
});

test('CLI: unknown names and groups, conflicts and clone3 alone are exit 2 with one line', () => {
  const cases: [string[], RegExp][] = [
    [['--deny', 'mkdri'], /^bulkhead: unknown syscall "mkdri" in --deny \(did you mean mkdir\?\)\n$/],
    [['--allow', 'read,@mout'], /^bulkhead: unknown syscall group "@mout" in --allow \(did you mean @mount\?\); `bulkhead seccomp groups` lists them\n$/],
    [['--allow', '@ptrace', '--deny', 'ptrace'], /^bulkhead: ptrace is both allowed \(--allow @ptrace\) and denied \(--deny ptrace\); say which\n$/],
    [['--allow', 'clone3'], /^bulkhead: clone3 cannot be allowed while unshare is denied/],
    [['--format', 'yaml'], /expected one of json/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['seccomp', 'generate', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('CLI: the profile goes to stdout, or whole to --output with nothing left beside it', () => {
  const printed = runCli(['seccomp', 'generate', '--deny', 'mkdir']);
  assert.equal(printed.code, 0, printed.stderr);
  const json = JSON.parse(printed.stdout);
  assert.equal(json.defaultAction, 'SCMP_ACT_ERRNO');
  const out = tempFolder('bulkhead-seccomp-out.');
  try {
    const file = join(out.dir, 'p.json');
    const r = runCli(['seccomp', 'generate', '--deny', 'mkdir', '-o', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /wrote .*p\.json; use it with: docker run --security-opt seccomp=/);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), json);
    assert.deepEqual(readdirSync(out.dir), ['p.json']);
    const bad = runCli(['seccomp', 'generate', '-o', join(out.dir, 'missing', 'p.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^bulkhead: cannot write .*missing\/p\.json: ENOENT\n$/);
    assert.ok(!existsSync(join(out.dir, 'missing')));
  } finally {
    out.remove();
  }
});

test('CLI: seccomp groups lists every group with its default and members', () => {
  const text = runCli(['seccomp', 'groups']);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^@mount \(denied by default\): .*\n {2}mount umount umount2 /m);
  assert.match(text.stdout, /^@basic-io \(allowed by default\)/m);
  const json = runCli(['seccomp', 'groups', '--format', 'json']);
  const keyring = (JSON.parse(json.stdout) as { name: string; allowed: boolean; syscalls: string[] }[]).find((g) => g.name === '@keyring')!;
  assert.deepEqual([keyring.allowed, keyring.syscalls], [false, ['keyctl', 'add_key', 'request_key']]);
});
