/**
 * Progress on stderr: drawn on a terminal (a real pseudo-terminal from
 * util-linux's `script`), never in a pipe, never with -q, and never in a report.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, engineTest, fixturesDir, repoRoot, runCli } from '../support/env.js';

/** Runs the CLI with its stdin, stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: string[]): string {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return r.stdout;
}

const BAR = /bulkhead: \[[#-]{24}\] \d+\/\d+ /;

test('scan on a terminal draws a bar of files, and clears it before the next line', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'bulkhead-progress-')), 'report.json');
  const shown = onTerminal(['scan', 'test/scan', '-f', 'json', '-o', out, '--fail-on', 'none']);
  assert.match(shown, /bulkhead: \[-{24}\] 0\/\d+ files/);
  assert.match(shown, /\r\x1b\[2Kbulkhead: wrote json report to /, 'the bar is cleared before the log line');
  assert.doesNotMatch(readFileSync(out, 'utf8'), /\x1b|\r/, 'the report holds no progress');
});

test('audit --inspect on a terminal counts the megabytes read; -q draws nothing; a pipe gets nothing', () => {
  const inspect = join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json');
  const out = join(mkdtempSync(join(tmpdir(), 'bulkhead-progress-')), 'report.json');
  assert.match(onTerminal(['audit', '--inspect', inspect, '-f', 'json', '-o', out, '--fail-on', 'none']), /bulkhead: \[-{24}\] 0\/1 MB read/);
  assert.doesNotMatch(onTerminal(['audit', '--inspect', inspect, '-f', 'json', '-o', out, '--fail-on', 'none', '-q']), BAR);
  const piped = runCli(['audit', '--inspect', inspect, '-f', 'json', '--fail-on', 'none']);
  assert.equal(piped.code, 0);
  assert.doesNotMatch(piped.stderr, BAR);
  assert.doesNotMatch(piped.stderr, /\x1b/);
});

engineTest('a live audit on a terminal counts the containers inspected', (_t, host) => {
  const out = join(mkdtempSync(join(tmpdir(), 'bulkhead-progress-')), 'report.json');
  assert.match(onTerminal(['audit', '-H', host, '--all', '--sections', 'containers', '-f', 'json', '-o', out, '--fail-on', 'none']), /bulkhead: \[-{24}\] 0\/\d+ containers inspected/);
});
