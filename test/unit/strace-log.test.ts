/** Reading syscalls out of real `strace -f` logs (recorded on this machine with strace 6.x and busybox), and fuzzing the reader. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { syscallsInStrace } from '../../src/harden/seccomp/strace-log.js';
import { fixturesDir } from '../support/env.js';

const recorded = (name: string) => readFileSync(join(fixturesDir, 'unit', 'recorded', name), 'utf8');

test('strace -f -o LOG: PID prefixes, unfinished and resumed calls, signals and exits', () => {
  const text = recorded('strace-f-o.log');
  const { counts, unrecognized } = syscallsInStrace(text);
  assert.equal(unrecognized, 0);
  for (const s of ['execve', 'mkdir', 'clone', 'wait4', 'kill', 'pipe2', 'exit_group', 'rt_sigreturn']) assert.ok(counts.has(s), s);
  // A call split by <unfinished ...> / <... resumed> counts once: as many as the lines that start one.
  const started = text.split('\n').filter((l) => /^\d+\s+wait4\(/.test(l)).length;
  assert.ok(text.includes('<... wait4 resumed>'));
  assert.equal(counts.get('wait4'), started);
  for (const k of counts.keys()) assert.match(k, /^[a-z_][a-z0-9_]*$/);
});

test('strace -f to stderr: [pid N] prefixes, lines split by other processes, "Process attached" notes', () => {
  const { counts, unrecognized } = syscallsInStrace(recorded('strace-f-stderr.log'));
  assert.equal(unrecognized, 0);
  for (const s of ['execve', 'getdents64', 'clone', 'wait4', 'clock_nanosleep']) assert.ok(counts.has(s), s);
});

test('strace -f -tt: timestamps after the PID', () => {
  const { counts, unrecognized } = syscallsInStrace(recorded('strace-f-tt.log'));
  assert.equal(unrecognized, 0);
  assert.ok(counts.has('execve') && counts.has('getdents64'));
});

test('each form of line strace writes', () => {
  const { counts, unrecognized } = syscallsInStrace([
    'openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3',
    '[pid  4242] read(3, "root"..., 4096) = 4',
    '4242  1700000000.123456 close(3) = 0',
    '4242  12:00:01 fstat(3, {st_mode=S_IFREG|0644}) = 0',
    '[pid  4242] 12:00:01.000001 [00007f0123456789] getpid() = 4242',
    '4243  wait4(-1,  <unfinished ...>',
    '4243  <... wait4 resumed>NULL, 0, NULL) = 4244',
    '4243  --- SIGCHLD {si_signo=SIGCHLD} ---',
    '4244  +++ exited with 0 +++',
    '+++ killed by SIGKILL +++',
    'strace: Process 4244 attached',
    '[ Process PID=4245 runs in 32 bit mode. ]',
    '4245  syscall_0x1c8(0, 0) = -1 ENOSYS (Function not implemented)',
    'this is not strace output',
  ].join('\r\n'));
  assert.deepEqual([...counts.keys()].sort(), ['close', 'fstat', 'getpid', 'openat', 'read', 'syscall_0x1c8', 'wait4']);
  assert.equal(counts.get('wait4'), 1);
  assert.equal(unrecognized, 1);
});

const check = (text: string) => {
  const { counts, unrecognized } = syscallsInStrace(text);
  assert.ok(Number.isInteger(unrecognized) && unrecognized >= 0);
  for (const [k, n] of counts) {
    assert.match(k, /^[a-z_][a-z0-9_]*$/);
    assert.ok(n >= 1);
  }
};

test('arbitrary text gives a result, never a crash', () => {
  fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), check), { numRuns: 3000 });
});

test('a real log spliced, truncated or with bytes replaced gives a result', () => {
  const log = recorded('strace-f-o.log');
  fc.assert(
    fc.property(fc.nat(log.length), fc.nat(log.length), fc.string({ maxLength: 8 }), (a, b, junk) => {
      const [i, j] = a < b ? [a, b] : [b, a];
      check(log.slice(0, i) + junk + log.slice(j));
      check(log.slice(i, j));
    }),
    { numRuns: 1000 },
  );
});

test('a long line does not take long (no backtracking blow-up)', () => {
  check('[pid ' + '1'.repeat(100000) + ' ' + 'a'.repeat(100000));
  check('1 '.repeat(50000) + '(');
});
