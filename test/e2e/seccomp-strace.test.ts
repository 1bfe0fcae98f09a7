/**
 * `bulkhead seccomp from-strace`: a command traced on the host with the real
 * strace runs in a container under the profile built from its trace (the
 * image's busybox is the host's), calls the trace did not show fail, and
 * denying one the command needs makes it fail.
 */
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, engineTest, runCli, TEST_IMAGE } from '../support/env.js';
import { syscallsInStrace } from '../../src/harden/seccomp/strace-log.js';
import { dockerRun, tempFolder } from '../support/seccomp-probe.js';

const work = tempFolder('bulkhead-strace.');
after(work.remove);

// Files, a pipe to a child, a background job: enough calls to be a real workload.
const SCRIPT = 'mkdir "$1" && echo hello > "$1/f" && cat "$1/f" | wc -c && ls "$1" && (sleep 0.1 & wait) && rm -r "$1" && echo done';
const EXPECTED = '6\nf\ndone\n';

const hasStrace = () => spawnSync('strace', ['-V']).status === 0;

/** Traces SCRIPT on the host with `strace -f -o`; returns the log's path. */
function trace(): string {
  const log = join(work.dir, 'trace.log');
  const out = execFileSync('strace', ['-f', '-o', log, 'busybox', 'sh', '-c', SCRIPT, 'sh', join(work.dir, 'w')], { encoding: 'utf8' });
  assert.equal(out, EXPECTED, 'the command runs on the host');
  return log;
}

function fromStrace(log: string, name: string, args: string[] = []): { file: string; stderr: string } {
  const file = join(work.dir, `${name}.json`);
  const r = runCli(['seccomp', 'from-strace', log, ...args, '-o', file]);
  assert.equal(r.code, 0, r.stderr);
  return { file, stderr: r.stderr };
}

const run = (file: string, script: string, ...args: string[]) => dockerRun(['--security-opt', `seccomp=${file}`, TEST_IMAGE, 'sh', '-c', script, 'sh', ...args]);

engineTest('from-strace: the traced command runs in a container under the profile from its trace; what the trace lacks is denied', (t) => {
  if (!hasStrace()) {
    process.stderr.write(`\n*** SKIPPED (no strace): ${t.name}\n`);
    return t.skip('strace is not installed (scripts/test.sh installs it)');
  }
  const log = trace();
  const seen = syscallsInStrace(readFileSync(log, 'utf8')).counts;
  const { file, stderr } = fromStrace(log, 'traced');
  assert.match(stderr, new RegExp(`^bulkhead: ${seen.size} syscalls in the log, \\d+ allowed with what the runtime needs$`, 'm'));
  const r = run(file, SCRIPT, '/tmp/w');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, EXPECTED);
  // Minimal: chmod is not in the trace, so it is denied, though the default profile allows it.
  assert.ok(!seen.has('chmod') && !seen.has('fchmodat'));
  const chmod = 'echo x > /tmp/f && chmod 600 /tmp/f && echo changed';
  const denied = run(file, chmod);
  assert.notEqual(denied.code, 0);
  assert.match(denied.stderr, /chmod: \/tmp\/f: Operation not permitted/);
  const generated = runCli(['seccomp', 'generate', '-o', join(work.dir, 'default.json')]);
  assert.equal(generated.code, 0, generated.stderr);
  assert.equal(run(join(work.dir, 'default.json'), chmod).stdout, 'changed\n');
});

engineTest('from-strace --deny mkdir: the traced command fails where it makes its directory', (t) => {
  if (!hasStrace()) {
    process.stderr.write(`\n*** SKIPPED (no strace): ${t.name}\n`);
    return t.skip('strace is not installed (scripts/test.sh installs it)');
  }
  const { file } = fromStrace(trace(), 'no-mkdir', ['--deny', 'mkdir']);
  const r = run(file, SCRIPT, '/tmp/w');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /mkdir: can't create directory '\/tmp\/w': Operation not permitted/);
  assert.equal(r.stdout, '');
});

test('from-strace with strace -ff logs (one per process): the union of them all', (t) => {
  if (!hasStrace()) return t.skip('strace is not installed (scripts/test.sh installs it)');
  const dir = join(work.dir, 'ff');
  execFileSync('mkdir', [dir]);
  execFileSync('strace', ['-ff', '-o', join(dir, 'log'), 'busybox', 'sh', '-c', 'ls / | wc -l >/dev/null; mkdir "$1"', 'sh', join(dir, 'made')]);
  const logs = readdirSync(dir).filter((f) => f.startsWith('log.')).map((f) => join(dir, f));
  assert.ok(logs.length >= 3, `one log per process: ${logs.join(' ')}`);
  const union = new Set(logs.flatMap((l) => [...syscallsInStrace(readFileSync(l, 'utf8')).counts.keys()]));
  // mkdir only in the shell's log, getdents64 only in ls's: both needed from different files.
  assert.equal(logs.filter((l) => syscallsInStrace(readFileSync(l, 'utf8')).counts.has('getdents64')).length, 1);
  const r = runCli(['seccomp', 'from-strace', ...logs]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^bulkhead: ${union.size} syscalls in the logs,`, 'm'));
  const allowed = new Set((JSON.parse(r.stdout) as { syscalls: { names: string[]; action: string }[] }).syscalls.filter((s) => s.action === 'SCMP_ACT_ALLOW').flatMap((s) => s.names));
  for (const s of union) assert.ok(allowed.has(s), s);
});

test('from-strace: unknown names are reported and left out, default-denied ones named, junk lines counted', () => {
  const log = join(work.dir, 'hand.log');
  writeFileSync(log, [
    '100   execve("/bin/true", ["true"], 0x7ffd /* 1 var */) = 0',
    '100   unshare(CLONE_NEWUTS) = 0',
    '100   syscall_0x1c8(0, 0) = -1 ENOSYS (Function not implemented)',
    '100   clone3({flags=CLONE_VM, exit_signal=0}, 88) = 101',
    'not strace',
    '100   +++ exited with 0 +++',
  ].join('\n'));
  const r = runCli(['seccomp', 'from-strace', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^bulkhead: unknown to bulkhead, left out: syscall_0x1c8$/m);
  assert.match(r.stderr, /^bulkhead: allowed although the default profile denies them: unshare$/m);
  assert.match(r.stderr, /^bulkhead: 1 line not understood, skipped$/m);
  const profile = JSON.parse(r.stdout) as { syscalls: { names: string[]; action: string; args?: unknown[] }[] };
  const allowedPlain = profile.syscalls[0]!.names;
  assert.ok(allowedPlain.includes('unshare') && !allowedPlain.includes('syscall_0x1c8') && !allowedPlain.includes('mkdir'));
  // With unshare traced, clone and clone3 may create namespaces too (clone added as clone3's fallback).
  assert.deepEqual(profile.syscalls.filter((s) => s.names.includes('clone') || s.names.includes('clone3')).map((s) => [s.names, s.action, s.args]), [
    [['clone'], 'SCMP_ACT_ALLOW', undefined], [['clone3'], 'SCMP_ACT_ALLOW', undefined],
  ]);
});

test('from-strace: a file with no syscalls, or none at all, is exit 2', () => {
  const empty = join(work.dir, 'empty.log');
  writeFileSync(empty, 'hello\nworld\n');
  const r = runCli(['seccomp', 'from-strace', empty]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: .*empty\.log: no syscalls found; expected the output of `strace -f -o LOG COMMAND`\n$/);
  const missing = runCli(['seccomp', 'from-strace', join(work.dir, 'nope.log')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^bulkhead: cannot read .*nope\.log: ENOENT\n$/);
  const stdin = runCli(['seccomp', 'from-strace', '-'], { input: '1  execve("/bin/x", ["x"], 0x0) = 0\n' });
  assert.equal(stdin.code, 0, stdin.stderr);
});

// Bad input: a log with no end or no line break is one line and exit 2, with memory small; the reading never blocks signals.

/** Peak memory of the CLI in KiB, measured by /usr/bin/time (GNU time, Debian's `time`), or undefined without it. */
function peakKiB(args: readonly string[], wrap: readonly string[] = []): { r: ReturnType<typeof runCli>; kib?: number } {
  if (!existsSync('/usr/bin/time')) return { r: runCli(args, { wrap }) };
  const out = join(work.dir, 'rss');
  const r = runCli(args, { wrap: [...wrap, '/usr/bin/time', '-f', '%M', '-o', out] });
  return { r, kib: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) };
}

test('from-strace: /dev/zero, on the command line or piped to stdin, stops at the bytes bulkhead reads: one line, exit 2, nothing on stdout', () => {
  const piped = ['sh', '-c', 'cat /dev/zero | "$@"', 'sh'];
  for (const [log, wrap, name] of [['/dev/zero', [], '/dev/zero'], ['-', piped, 'stdin']] as const) {
    const { r, kib } = peakKiB(['seccomp', 'from-strace', log], wrap);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr, `bulkhead: ${name}:1: a line of more than the 536870912 bytes bulkhead reads\n`);
    assert.equal(r.stdout, '');
    if (kib !== undefined) assert.ok(kib < 200 * 1024, `peak memory ${kib} KiB`);
  }
});

test('from-strace: a line longer than 1 MiB (strace -s with a large write) is still read as its call', () => {
  const log = join(work.dir, 'long-line.log');
  writeFileSync(log, `100   write(1, "${'a'.repeat(2 * 1024 * 1024)}", 2097152) = 2097152\n100   exit_group(0) = ?\n100   +++ exited with 0 +++\n`);
  const r = runCli(['seccomp', 'from-strace', log]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^bulkhead: 2 syscalls in the log,/m);
  assert.doesNotMatch(r.stderr, /not understood/);
  const allowed = (JSON.parse(r.stdout) as { syscalls: { names: string[] }[] }).syscalls[0]!.names;
  assert.ok(allowed.includes('write') && allowed.includes('exit_group'));
});

test('from-strace -: SIGTERM while stdin is still being read ends it at once with "terminated", exit 3', { timeout: 60_000 }, async (t) => {
  const child = spawn(process.execPath, [cliPath, 'seccomp', 'from-strace', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // 8 MiB of calls: the pipe holds 64 KiB, so once they are written the CLI is reading; stdin stays open.
  const line = '100   read(0, "x", 1) = 1\n';
  await new Promise<void>((resolve, reject) => child.stdin.write(line.repeat((8 * 1024 * 1024) / line.length), (e) => (e ? reject(e) : resolve())));
  child.kill('SIGTERM');
  assert.equal(await exited, 3, stderr);
  assert.equal(stderr, 'bulkhead: terminated\n');
});
