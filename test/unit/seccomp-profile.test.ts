/** bulkhead's syscall groups, --allow/--deny, and the Docker-format profile built from them. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { groupsMarkdown } from '../../src/harden/seccomp/groups-doc.js';
import { CLONE_NAMESPACE_FLAGS, buildProfile, type SyscallRule } from '../../src/harden/seccomp/profile.js';
import { select } from '../../src/harden/seccomp/selection.js';
import { KNOWN_SYSCALLS, SYSCALL_GROUPS, defaultAllowed } from '../../src/harden/seccomp/syscall-groups.js';
import { repoRoot } from '../support/env.js';

const rulesFor = (rules: readonly SyscallRule[], name: string) => rules.filter((r) => r.names.includes(name));

test('every syscall is in exactly one group, and group names are unique @names', () => {
  const seen = new Map<string, string>();
  for (const g of SYSCALL_GROUPS) {
    assert.match(g.name, /^@[a-z_-]+$/);
    for (const s of g.syscalls) {
      assert.equal(seen.get(s), undefined, `${s} is in ${seen.get(s)} and ${g.name}`);
      seen.set(s, g.name);
    }
  }
  assert.equal(new Set(SYSCALL_GROUPS.map((g) => g.name)).size, SYSCALL_GROUPS.length);
  assert.equal(KNOWN_SYSCALLS.length, seen.size);
});

// The kernel headers of this machine (linux-libc-dev, which gcc's libc6-dev brings) list every syscall of x86_64, i386, x32 and the generic table arm64 and riscv64 use.
const HEADERS = [
  '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
  '/usr/include/x86_64-linux-gnu/asm/unistd_32.h',
  '/usr/include/x86_64-linux-gnu/asm/unistd_x32.h',
  '/usr/include/asm-generic/unistd.h',
];

test('every syscall in the kernel headers belongs to a group', (t) => {
  const present = HEADERS.filter((h) => existsSync(h));
  if (!present.length) return t.skip('no kernel headers (install linux-libc-dev)');
  const known = new Set(KNOWN_SYSCALLS);
  const missing = new Set<string>();
  for (const h of present) {
    for (const m of readFileSync(h, 'utf8').matchAll(/^#define __NR_([a-z0-9_]+)\s/gm)) {
      const name = m[1]!;
      // Not syscalls: the generic table's count and arch block marker.
      if (name !== 'syscalls' && name !== 'arch_specific_syscall' && !known.has(name)) missing.add(name);
    }
  }
  assert.deepEqual([...missing], []);
});

test('the default allows ordinary work and denies what Docker denies a default container', () => {
  const allowed = defaultAllowed();
  for (const s of ['read', 'write', 'openat', 'execve', 'clone', 'futex', 'mkdir', 'socket', 'chown', 'chroot', 'epoll_pwait']) assert.ok(allowed.has(s), s);
  for (const s of ['mount', 'umount2', 'unshare', 'setns', 'init_module', 'reboot', 'kexec_load', 'settimeofday', 'clock_settime', 'ptrace',
    'keyctl', 'add_key', 'request_key', 'bpf', 'io_uring_setup', 'perf_event_open', 'swapon', 'acct', 'userfaultfd', 'open_by_handle_at']) {
    assert.ok(!allowed.has(s), s);
  }
});

test('--deny removes from the allowlist and writes an EPERM entry; --allow adds', () => {
  const p = buildProfile(select(['@ptrace'], ['mkdir,@chown', 'rmdir']));
  const allow = p.syscalls[0]!;
  assert.equal(allow.action, 'SCMP_ACT_ALLOW');
  for (const s of ['mkdir', 'chown', 'fchownat', 'rmdir']) assert.ok(!allow.names.includes(s), s);
  assert.ok(allow.names.includes('ptrace'));
  const deny = p.syscalls.find((r) => r.action === 'SCMP_ACT_ERRNO' && r.names.includes('mkdir'))!;
  assert.equal(deny.errnoRet, 1);
  assert.deepEqual([...deny.names].sort(), ['chown', 'chown32', 'fchown', 'fchown32', 'fchownat', 'lchown', 'lchown32', 'mkdir', 'rmdir']);
  assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(p.defaultErrnoRet, 1);
  assert.deepEqual(p.archMap[0], { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] });
});

test('unknown names and groups are input errors that suggest the nearest', () => {
  assert.throws(() => select([], ['mkdri']), (e: Error) => e instanceof InputError && /unknown syscall "mkdri" in --deny \(did you mean mkdir\?\)/.test(e.message));
  assert.throws(() => select(['@mout'], []), (e: Error) => e instanceof InputError && /unknown syscall group "@mout" in --allow \(did you mean @mount\?\)/.test(e.message));
  // An escape sequence in the name shows as its escape, not stripped into a name that looks known.
  assert.throws(() => select(['ptrace\x1b[31m'], []), (e: Error) => e instanceof InputError && e.message.startsWith('unknown syscall "ptrace\\u001b[31m" in --allow'));
  assert.throws(() => select(['xyzzyplugh'], []), (e: Error) => e instanceof InputError && !/did you mean/.test(e.message));
});

test('a name both allowed and denied is a conflict, also through a group', () => {
  assert.throws(() => select(['mkdir'], ['mkdir']), (e: Error) => e instanceof InputError && /mkdir is both allowed \(--allow mkdir\) and denied \(--deny mkdir\)/.test(e.message));
  assert.throws(() => select(['@namespaces'], ['setns']), (e: Error) => e instanceof InputError && /setns is both allowed \(--allow @namespaces\) and denied \(--deny setns\)/.test(e.message));
});

test('clone may not create namespaces and clone3 answers ENOSYS while unshare is denied', () => {
  const p = buildProfile(select([], []));
  assert.ok(!p.syscalls[0]!.names.includes('clone') && !p.syscalls[0]!.names.includes('clone3'));
  const clone = rulesFor(p.syscalls, 'clone');
  assert.equal(clone.length, 2);
  for (const r of clone) {
    assert.equal(r.action, 'SCMP_ACT_ALLOW');
    assert.equal(r.args!.length, 1);
    assert.deepEqual({ ...r.args![0]!, index: 0 }, { index: 0, value: CLONE_NAMESPACE_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' });
  }
  // Flags in the first argument, except on s390 where they are the second.
  assert.deepEqual(clone.map((r) => [r.args![0]!.index, r.includes?.arches ?? null, r.excludes?.arches ?? null]), [[0, null, ['s390', 's390x']], [1, ['s390', 's390x'], null]]);
  // CLONE_NEWNS CLONE_NEWCGROUP CLONE_NEWUTS CLONE_NEWIPC CLONE_NEWUSER CLONE_NEWPID CLONE_NEWNET
  assert.equal(CLONE_NAMESPACE_FLAGS, 0x20000 | 0x2000000 | 0x4000000 | 0x8000000 | 0x10000000 | 0x20000000 | 0x40000000);
  assert.deepEqual(rulesFor(p.syscalls, 'clone3').map((r) => [r.action, r.errnoRet]), [['SCMP_ACT_ERRNO', 38]]);
});

test('with @namespaces allowed clone and clone3 are allowed whole; clone3 alone is refused', () => {
  const p = buildProfile(select(['@namespaces'], []));
  assert.deepEqual(rulesFor(p.syscalls, 'clone').map((r) => [r.action, r.args]), [['SCMP_ACT_ALLOW', undefined]]);
  assert.deepEqual(rulesFor(p.syscalls, 'clone3').map((r) => [r.action, r.args]), [['SCMP_ACT_ALLOW', undefined]]);
  assert.throws(() => select(['clone3'], []), (e: Error) => e instanceof InputError && /clone3 cannot be allowed while unshare is denied/.test(e.message));
  assert.doesNotThrow(() => select(['clone3', 'unshare'], []));
});

test('--deny clone3 answers ENOSYS, not EPERM, so the C library falls back to clone', () => {
  const p = buildProfile(select([], ['clone3']));
  assert.deepEqual(rulesFor(p.syscalls, 'clone3').map((r) => [r.action, r.errnoRet]), [['SCMP_ACT_ERRNO', 38]]);
});

test('socket keeps out AF_ALG and AF_VSOCK; personality only Docker\'s personalities', () => {
  const p = buildProfile(select([], []));
  const allows = (name: string, value: number) => rulesFor(p.syscalls, name).some((r) => r.action === 'SCMP_ACT_ALLOW' && r.args!.every((a) =>
    a.op === 'SCMP_CMP_EQ' ? value === a.value : a.op === 'SCMP_CMP_LT' ? value < a.value : a.op === 'SCMP_CMP_GT' ? value > a.value : false));
  for (const family of [0, 1, 2, 10, 16, 17, 37, 39, 41, 45]) assert.ok(allows('socket', family), `family ${family}`);
  assert.ok(!allows('socket', 38) && !allows('socket', 40));
  for (const persona of [0, 8, 0x20000, 0x20008, 0xffffffff]) assert.ok(allows('personality', persona));
  assert.ok(!allows('personality', 0x0040000), 'ADDR_NO_RANDOMIZE');
});

test('the README lists the groups as the table has them (npm run docs)', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.ok(readme.includes(groupsMarkdown()), 'README groups table is stale: run npm run build && npm run docs');
});
