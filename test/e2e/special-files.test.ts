/**
 * Paths that are not plain files: a FIFO nothing writes to must not hold a
 * run for ever (an open that blocks cannot be interrupted), a device is
 * refused, a pipe is read to its end, and a folder that cannot be read is
 * an error, not a silent pass.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, fixturesDir, runCli } from '../support/env.js';
import { whenReading } from '../support/reading.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-special-'));
const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** The CLI with a deadline: a run that hangs is killed, and says so. */
function runWithin(args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal === 'SIGKILL' };
}

test('a FIFO nothing writes to, named or found beside the configuration (.bulkhead.yaml, .env), does not hold the scan', () => {
  const project = join(dir, 'fifos');
  mkdirSync(project);
  writeFileSync(join(project, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n    privileged: true\n');
  mkfifo(join(project, '.bulkhead.yaml'));
  mkfifo(join(project, '.env'));
  mkfifo(join(project, 'lone.Dockerfile'));
  const r = runWithin(['scan', '.', '-f', 'json', '--fail-on', 'none'], project);
  assert.equal(r.timedOut, false, 'the scan ended');
  assert.equal(r.code, 0, r.stderr);
  const names = (JSON.parse(r.stdout) as { findings: { ruleName: string }[] }).findings.map((f) => f.ruleName);
  assert.ok(names.includes('privileged-container'), names.join());
  // Given by name, it is read: with no writer it is at its end at once, an empty Dockerfile.
  const named = runWithin(['scan', 'lone.Dockerfile', '--fail-on', 'none'], project);
  assert.equal(named.timedOut, false, 'a FIFO given by name ends the scan too');
  assert.equal(named.code, 2, named.stderr);
  assert.match(named.stderr, /^bulkhead: lone\.Dockerfile:1:1: no instructions/m);
});

test('a device is refused in one line (it would never end), exit 2', () => {
  const r = runWithin(['scan', '/dev/zero'], dir);
  assert.equal(r.timedOut, false);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: \/dev\/zero: is a device, expected a file$/m);
  const c = runWithin(['scan', '--config', '/dev/zero', '.'], dir);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /\/dev\/zero: is a device, expected a file/);
});

test('audit --inspect reads a FIFO as a stream once its writer comes, as `<(docker inspect …)` gives it', async () => {
  const fifo = join(dir, 'inspect.fifo');
  mkfifo(fifo);
  const child = spawn(process.execPath, [cliPath, 'audit', '--inspect', fifo, '-f', 'json', '--fail-on', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // The writer comes after the CLI started: a blocking open would wait for it, a non-blocking one must not take the empty FIFO for the input.
  await new Promise((r) => setTimeout(r, 300));
  writeFileSync(fifo, readFileSync(join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json')));
  assert.equal(await exited, 0, stderr);
  const report = JSON.parse(stdout) as { summary: { subjects: number }; findings: { ruleName: string }[] };
  assert.equal(report.summary.subjects, 1);
  assert.ok(report.findings.some((f) => f.ruleName === 'privileged-container'));
});

test('a folder that cannot be read is an error naming it (as find(1) says), exit 2, and the rest is still scanned', (t) => {
  const project = join(dir, 'locked-project');
  mkdirSync(join(project, 'locked'), { recursive: true });
  writeFileSync(join(project, 'Dockerfile'), 'FROM debian:12\n');
  writeFileSync(join(project, 'locked', 'Dockerfile'), 'FROM debian:12\n');
  chmodSync(join(project, 'locked'), 0o000);
  t.after(() => chmodSync(join(project, 'locked'), 0o755));
  // Root reads any folder; root without its capabilities (as in a container run with --cap-drop ALL) does not.
  const r = runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: project, wrap: ['setpriv', '--inh-caps=-all', '--ambient-caps=-all', '--bounding-set=-all', '--'] });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^bulkhead: locked: cannot read the folder: permission denied; nothing under it was scanned$/m);
  assert.equal((JSON.parse(r.stdout) as { summary: { subjects: number } }).summary.subjects, 1, 'the readable Dockerfile was scanned');
});

test('a FIFO with no writer yet: audit --inspect waits for one as cat does, and Ctrl-C ends the wait (no thread is left in open(), which kept the process from exiting)', { timeout: 60_000 }, async () => {
  const fifo = join(dir, 'never-written.fifo');
  mkfifo(fifo);
  const child = spawn(process.execPath, [cliPath, 'audit', '--inspect', fifo], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // Once it has the FIFO open, the CLI's own code runs and its handlers are installed.
  await whenReading(child.pid!, fifo);
  await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  assert.equal(await exited, 3);
  assert.equal(stderr, 'bulkhead: interrupted\n');
});

test('output: -o to a FIFO nothing reads is one line, exit 2 (not a wait for ever); one that is read gets the report; a full disk under stdout is one line, exit 2', async () => {
  const fifo = join(dir, 'out.fifo');
  mkfifo(fifo);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM debian:12\n');
  const none = runWithin(['scan', 'Dockerfile', '-f', 'json', '-o', 'out.fifo'], dir);
  assert.equal(none.timedOut, false);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, 'bulkhead: cannot write out.fifo: a FIFO nothing reads from (ENXIO)\n');
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
  let read = '';
  reader.stdout.on('data', (b: Buffer) => (read += b.toString()));
  const readerDone = new Promise((resolve) => reader.on('exit', resolve));
  // cat's open of the FIFO waits for a writer (so it counts as a reader); once bulkhead opens it, both go on.
  while (!readFileSync(`/proc/${reader.pid}/wchan`, 'utf8').includes('wait_for_partner')) await new Promise((r) => setTimeout(r, 10));
  const some = runWithin(['scan', 'Dockerfile', '-f', 'json', '-o', 'out.fifo', '--fail-on', 'none', '-q'], dir);
  assert.equal(some.code, 0, some.stderr);
  await readerDone;
  assert.equal((JSON.parse(read) as { summary: { subjects: number } }).summary.subjects, 1);
  const full = spawnSync('sh', ['-c', `"${process.execPath}" "${cliPath}" scan Dockerfile -f json > /dev/full`], { cwd: dir, encoding: 'utf8' });
  assert.equal(full.status, 2);
  assert.equal(full.stderr, 'bulkhead: cannot write to stdout: ENOSPC\n');
});
