/**
 * `bulkhead fix` run by root on a checkout someone else controls: a link
 * planted beside a file, a file that is a link, a folder name made to write
 * hunks of its own into the patch.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../support/env.js';

const RISKY = 'services:\n  web:\n    image: nginx\n    privileged: true\n';

function fix(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cliPath, 'fix', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

test('fix --write never writes through a link planted where its temporary file used to be named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-safety-'));
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'SECRET\n', { mode: 0o600 });
  writeFileSync(join(dir, 'compose.yaml'), RISKY);
  // The old name was .NAME.PID.tmp: plant links for every PID the child may get.
  const r = spawnSync('bash', ['-c', `for p in $(seq $$ $(( $$ + 50 ))); do ln -s victim.txt .compose.yaml.$p.tmp; done; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} fix -q --write compose.yaml`], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'SECRET\n');
  assert.equal(statSync(victim).mode & 0o777, 0o600);
  assert.ok(!lstatSync(join(dir, 'compose.yaml')).isSymbolicLink());
  assert.match(readFileSync(join(dir, 'compose.yaml'), 'utf8'), /cap_drop/);
});

test('fix --write on a file that is a link rewrites the file it points to, and the link stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-safety-'));
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(dir, 'shared', 'real.yaml'), RISKY);
  symlinkSync('shared/real.yaml', join(dir, 'compose.yaml'));
  const r = fix(['-q', '--write', 'compose.yaml'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(lstatSync(join(dir, 'compose.yaml')).isSymbolicLink());
  assert.equal(readlinkSync(join(dir, 'compose.yaml')), 'shared/real.yaml');
  assert.match(readFileSync(join(dir, 'shared', 'real.yaml'), 'utf8'), /cap_drop/);
});

test('a path with a newline cannot write hunks into the patch: that file is left out, said on stderr, the rest applies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-safety-'));
  writeFileSync(join(dir, 'victim'), 'hello\n');
  const evil = join(dir, 'x\n--- a/victim\n+++ b/victim\n@@ -1 +1 @@\n-hello\n+pwned\nz');
  mkdirSync(evil, { recursive: true });
  writeFileSync(join(evil, 'compose.yaml'), RISKY);
  writeFileSync(join(dir, 'compose.yaml'), RISKY);
  const r = fix(['.'], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /not in the patch: its path holds control characters/);
  assert.doesNotMatch(r.stdout, /pwned/);
  assert.match(r.stdout, /^diff --git a\/compose\.yaml b\/compose\.yaml$/m);
  const applied = spawnSync('patch', ['-p1'], { cwd: dir, input: r.stdout, encoding: 'utf8' });
  assert.equal(applied.status, 0, applied.stdout + applied.stderr);
  assert.equal(readFileSync(join(dir, 'victim'), 'utf8'), 'hello\n');
});
