/**
 * Ctrl-C during long synchronous work (a scan of thousands of files, the
 * offline audit's batches): "interrupted", exit 3, and no report written.
 * A signal handler runs only when the event loop turns, which that work
 * lets it do (core/signals.ts).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, fixturesDir } from '../support/env.js';
import { whenReading } from '../support/reading.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-interrupt-'));

/** Runs the CLI, waits until it reads `reading` (its signal handlers are installed by then), lets it work `ms` more, then sends SIGINT. */
async function interrupted(args: readonly string[], reading: string, ms: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // A SIGINT before the CLI's handler is installed would end node by the signal itself.
  await whenReading(child.pid!, reading);
  await new Promise((r) => setTimeout(r, ms));
  child.kill('SIGINT');
  // If the signal is not handled until the work ends, this waits for all of it (tens of seconds): the test's timeout says so.
  return { ...(await exited), stderr };
}

test('scan: Ctrl-C in the middle of 20,000 files ends it with exit 3, one line, and no report', { timeout: 120_000 }, async () => {
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  for (let i = 0; i < 20_000; i++) writeFileSync(join(tree, `${i}.Dockerfile`), `FROM debian:12\nRUN apt-get update && apt-get install -y curl\nUSER root\n`);
  const r = await interrupted(['scan', 'tree', '-f', 'json', '-o', 'scan.json'], tree, 500);
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: 3, signal: null }, r.stderr);
  assert.equal(r.stderr, 'bulkhead: interrupted\n');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('scan.json')), [], 'no report, whole or partial');
});

test('audit --inspect: Ctrl-C while its 20,000 containers are judged ends it with exit 3, one line, and no report', { timeout: 120_000 }, async () => {
  const doc = JSON.parse(readFileSync(join(fixturesDir, 'rules', 'privileged-container', 'bad.inspect.json'), 'utf8')) as Record<string, unknown>[];
  const many = Array.from({ length: 20_000 }, (_, i) => ({ ...doc[0]!, Id: i.toString(16).padStart(64, '0'), Name: `/c${i}` }));
  writeFileSync(join(dir, 'many.json'), JSON.stringify(many, null, 4));
  const r = await interrupted(['audit', '--inspect', 'many.json', '-f', 'json', '-o', 'audit.json'], join(dir, 'many.json'), 300);
  assert.deepEqual({ code: r.code, signal: r.signal }, { code: 3, signal: null }, r.stderr);
  assert.equal(r.stderr, 'bulkhead: interrupted\n');
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('audit.json')), [], 'no report, whole or partial');
});
