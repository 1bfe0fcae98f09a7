/**
 * --output to what is not a file to replace: a device, a FIFO, this
 * process's own descriptors. Renamed over, `-o /dev/null` left a regular
 * file as /dev/null (every later program's output piled up in it, and
 * dockerd refused `--device /dev/null`).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { closeSync, lstatSync, mkdtempSync, openSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, fixturesDir, runCli } from '../support/env.js';

const recorded = join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json');
const args = ['audit', '--inspect', recorded, '-q', '-f', 'json', '--fail-on', 'none'];

function scratch(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-output-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const isReport = (text: string) => (JSON.parse(text) as { schemaVersion?: number }).schemaVersion === 1;

test('-o /dev/null writes into the device and leaves it a device', () => {
  const before = lstatSync('/dev/null');
  assert.ok(before.isCharacterDevice(), 'this machine has a /dev/null to begin with');
  const r = runCli([...args, '-o', '/dev/null']);
  const after = lstatSync('/dev/null');
  if (!after.isCharacterDevice() && process.getuid?.() === 0) {
    // Put the machine right before failing: the rest of the run needs /dev/null.
    rmSync('/dev/null');
    execFileSync('mknod', ['-m', '666', '/dev/null', 'c', '1', '3']);
  }
  assert.equal(r.code, 0, r.stderr);
  assert.ok(after.isCharacterDevice(), '/dev/null is still a character device');
  assert.equal(after.rdev, before.rdev);
});

/** Fails when /dev/stdout is no longer the link to this process's stdout, after putting it back (the rest of the run needs it). */
function assertStdoutLink(): void {
  const st = lstatSync('/dev/stdout');
  if (st.isSymbolicLink() && readlinkSync('/dev/stdout') === '/proc/self/fd/1') return;
  if (process.getuid?.() === 0) {
    rmSync('/dev/stdout');
    symlinkSync('/proc/self/fd/1', '/dev/stdout');
  }
  assert.fail('/dev/stdout was replaced');
}

test('-o /dev/stdout writes where stdout goes, keeping its append mode, and leaves the link alone', (t) => {
  const toPipe = runCli([...args, '-o', '/dev/stdout']);
  assertStdoutLink();
  assert.equal(toPipe.code, 0, toPipe.stderr);
  assert.ok(isReport(toPipe.stdout));

  // `>> log`: what the log held stays, the report follows it.
  const log = join(scratch(t), 'log');
  writeFileSync(log, 'earlier line\n');
  const fd = openSync(log, 'a');
  const r = spawnSync(process.execPath, [cliPath, ...args, '-o', '/dev/stdout'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  closeSync(fd);
  assertStdoutLink();
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(log, 'utf8');
  assert.ok(text.startsWith('earlier line\n{'), text.slice(0, 40));
  assert.ok(isReport(text.slice('earlier line\n'.length)));
});

test('-o /dev/fd/3 (what a shell passes for >(…)) writes to that descriptor', () => {
  const r = spawnSync(process.execPath, [cliPath, ...args, '-o', '/dev/fd/3'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(isReport(String(r.output[3])));
});

test('-o FIFO writes into the FIFO, which stays one', async (t) => {
  const dir = scratch(t);
  const fifo = join(dir, 'reports');
  const out = join(dir, 'received');
  execFileSync('mkfifo', [fifo]);
  // The reader copies to a file: the CLI's write waits for it, as a shell's redirection would.
  const reader = spawn('sh', ['-c', 'cat "$1" > "$2"', 'reader', fifo, out], { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => reader.on('close', resolve));
  const r = runCli([...args, '-o', fifo]);
  // A FIFO replaced by a file has no writer: its reader would wait for ever.
  const kept = lstatSync(fifo).isFIFO();
  if (!kept) reader.kill();
  assert.ok(kept, 'the FIFO is still a FIFO');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await done, 0);
  assert.ok(isReport(readFileSync(out, 'utf8')));
});

test('a symbolic link to a device is replaced by the report, never followed', (t) => {
  const link = join(scratch(t), 'report.json');
  symlinkSync('/dev/null', link);
  const r = runCli([...args, '-o', link]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(link).isFile(), 'the link was replaced by a regular file');
  assert.ok(isReport(readFileSync(link, 'utf8')));
  assert.ok(lstatSync('/dev/null').isCharacterDevice());
});
