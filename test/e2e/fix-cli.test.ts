/** `bulkhead fix`: command line in, a patch the real `git apply` and `patch` take, --write, notes and exit codes out. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, engineHost, engineTest, fixturesDir, runCli, TEST_IMAGE } from '../support/env.js';

const engineHostOf = () => engineHost!;

const FIXTURES = {
  'compose.yaml': 'rules/daemon-in-background/bad.compose.yaml',
  'deploy.k8s.yaml': 'scan/real-world/helm-deployment.k8s.yaml',
  'task.ecs.json': 'scan/real-world/ecs-service.json',
  Dockerfile: 'rules/apt-install-recommends/bad.Dockerfile',
} as const;

/** A temp project holding a copy of each fixture, removed after the test. */
function project(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, from] of Object.entries(FIXTURES)) copyFileSync(join(fixturesDir, from), join(dir, name));
  return dir;
}

const run = (cmd: string, args: readonly string[], cwd: string, input?: string) => spawnSync(cmd, args, { cwd, input: input ?? '', encoding: 'utf8' });
const findingsIn = (dir: string) => (JSON.parse(runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir }).stdout) as { findings: unknown[] }).findings.length;

test('fix prints one git-style patch for every kind, exit 1; git apply and patch take it; the result has fewer findings', (t) => {
  const dir = project(t);
  const r = runCli(['fix'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  for (const name of Object.keys(FIXTURES)) assert.match(r.stdout, new RegExp(`^diff --git a/${name} b/${name}\n--- a/${name}\n\\+\\+\\+ b/${name}\n`, 'm'));
  assert.doesNotMatch(r.stdout, /^={10}/m);
  // stdout is the patch only; the notes are on stderr, each file:line: …
  assert.match(r.stderr, /^compose\.yaml:\d+: left the user: /m);

  run('git', ['init', '-q'], dir);
  const check = run('git', ['apply', '--check', '-'], dir, r.stdout);
  assert.equal(check.status, 0, check.stderr);
  const dry = run('patch', ['-p1', '--dry-run'], dir, r.stdout);
  assert.equal(dry.status, 0, dry.stdout + dry.stderr);

  const before = findingsIn(dir);
  const applied = run('patch', ['-p1'], dir, r.stdout);
  assert.equal(applied.status, 0, applied.stdout + applied.stderr);
  assert.ok(findingsIn(dir) < before);
  // Applied, there is nothing left to fix.
  const again = runCli(['fix'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, '');
});

test('fix --write rewrites the files in place, keeping their mode, comments and CRLF; a second run changes nothing', (t) => {
  const dir = project(t);
  const compose = join(dir, 'compose.yaml');
  writeFileSync(compose, readFileSync(compose, 'utf8').replace(/\n/g, '\r\n'));
  chmodSync(compose, 0o640);
  writeFileSync(join(dir, 'task.ecs.json'), '\ufeff' + readFileSync(join(dir, 'task.ecs.json'), 'utf8'));
  const before = readFileSync(compose, 'utf8');
  const r = runCli(['fix', '--write', '.'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bulkhead: fixed compose\.yaml$/m);
  const after = readFileSync(compose, 'utf8');
  assert.notEqual(after, before);
  assert.doesNotMatch(after, /[^\r]\n/, 'CRLF kept');
  assert.match(after, /# expect: daemon-in-background\r\n/, 'comments kept');
  assert.match(after, /\r\n {4}read_only: true\r\n/);
  assert.equal(statSync(compose).mode & 0o777, 0o640);
  // A byte order mark stays.
  const task = join(dir, 'task.ecs.json');
  assert.ok(readFileSync(task).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'written with its BOM');
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp file left');
  const snapshot = Object.fromEntries(Object.keys(FIXTURES).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  const second = runCli(['fix', '--write'], { cwd: dir });
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /bulkhead: fixed/);
  for (const n of Object.keys(FIXTURES)) assert.equal(readFileSync(join(dir, n), 'utf8'), snapshot[n], `${n} unchanged`);
});

test('fix leaves privileged with a note on stderr; --aggressive removes it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(fixturesDir, 'rules/privileged-container/bad.compose.yaml'), join(dir, 'compose.yaml'));
  const kept = runCli(['fix', 'compose.yaml'], { cwd: dir });
  assert.equal(kept.code, 1);
  assert.match(kept.stderr, /^compose\.yaml:6: left privileged: true \(may be needed; --aggressive removes it\)$/m);
  assert.doesNotMatch(kept.stdout, /^-.*privileged/m);
  const gone = runCli(['fix', '--aggressive', 'compose.yaml'], { cwd: dir });
  assert.match(gone.stdout, /^- {4}privileged: true # expect: privileged-container$/m);
  assert.match(gone.stdout, /^- {4}network_mode: host$/m);
  assert.doesNotMatch(gone.stderr, /left privileged/);
});

test('keys with no value and caps from a `<<` merge: fix --write --aggressive clears the findings, and a second run has nothing left to do', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x:1\n      securityContext:\n');
  writeFileSync(join(dir, 'compose.yaml'), 'x-base: &base\n  image: nginx:1.27\n  cap_add: [SYS_ADMIN, CHOWN]\n  read_only: ~\nservices:\n  web:\n    <<: *base\n');
  const rules = () =>
    (JSON.parse(runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir }).stdout) as { findings: { ruleName: string }[] }).findings.map((f) => f.ruleName);
  const before = rules();
  for (const name of ['no-new-privileges-unset', 'writable-root-filesystem', 'capabilities-added']) assert.ok(before.includes(name), `the original has ${name}`);
  const fixed = runCli(['fix', '--write', '--aggressive', '.'], { cwd: dir });
  assert.equal(fixed.code, 0, fixed.stderr);
  const after = rules();
  for (const name of ['no-new-privileges-unset', 'writable-root-filesystem', 'capabilities-added']) assert.ok(!after.includes(name), `${name} fixed: ${after.join()}`);
  const again = runCli(['fix', '--aggressive', '.'], { cwd: dir });
  assert.equal(again.code, 0, again.stdout);
  assert.equal(again.stdout, '');
});

test('fix options: --pids-limit and --memory set the values written; -q silences the notes', (t) => {
  const dir = project(t);
  const r = runCli(['fix', '--pids-limit', '64', '--memory', '1g', '-q', 'compose.yaml', 'deploy.k8s.yaml', 'task.ecs.json'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^\+ {4}pids_limit: 64$/m);
  assert.match(r.stdout, /^\+ {4}mem_limit: 1024m$/m);
  assert.match(r.stdout, /^\+ +memory: 1024Mi$/m);
  const bad = runCli(['fix', '--memory', 'lots'], { cwd: dir });
  assert.equal(bad.code, 2);
  // The defaults as written: the help says 512m, and that is what goes into the files.
  assert.match(runCli(['fix', '--help']).stdout.replace(/\s+/g, ' '), /--memory <size> .*\(default: 512m\)/);
  assert.match(runCli(['fix', '-q', 'compose.yaml'], { cwd: dir }).stdout, /^\+ {4}mem_limit: 512m$/m);
});

test('a clean project: no output, exit 0', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(fixturesDir, 'rules/runs-as-root/good.Dockerfile'), join(dir, 'Dockerfile'));
  const r = runCli(['fix'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('a malformed file: exit 2, one line naming file:line:column, and nothing written', (t) => {
  const dir = project(t);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'compose.yaml'), 'services:\n  web: [\n');
  const before = readFileSync(join(dir, 'compose.yaml'), 'utf8');
  const r = runCli(['fix', '--write'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bulkhead: sub\/compose\.yaml:\d+:\d+: [^\n]*\n$/);
  assert.equal(readFileSync(join(dir, 'compose.yaml'), 'utf8'), before, 'no file written');
});

test('a file that is not valid UTF-8 is not fixed: one line naming file:line:column, exit 2, its bytes untouched; the other files are still fixed', (t) => {
  const dir = project(t);
  mkdirSync(join(dir, 'sub'));
  // A raw Latin-1 é (0xE9): decoded as UTF-8 it is U+FFFD, and written back it would be EF BF BD.
  const latin1 = Buffer.from('services:\n  web:\n    image: nginx:1.25\n    labels:\n      note: "caf\xe9 latin1"\n', 'latin1');
  writeFileSync(join(dir, 'sub', 'compose.yaml'), latin1);
  const bad = /^bulkhead: sub\/compose\.yaml:5:17: not fixed: byte 0xe9 is not UTF-8[^\n]*\n/m;

  // The patch leaves the file out, so it applies; the error is one line on stderr.
  const r = runCli(['fix', '-q'], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, bad);
  assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  assert.doesNotMatch(r.stdout, /sub\/compose\.yaml|\ufffd/);
  assert.match(r.stdout, /^diff --git a\/compose\.yaml b\/compose\.yaml$/m);
  run('git', ['init', '-q'], dir);
  const check = run('git', ['apply', '--check', '-'], dir, r.stdout);
  assert.equal(check.status, 0, check.stderr);

  const before = readFileSync(join(dir, 'compose.yaml'), 'utf8');
  const w = runCli(['fix', '--write'], { cwd: dir });
  assert.equal(w.code, 2, w.stderr);
  assert.match(w.stderr, bad);
  assert.doesNotMatch(w.stderr, /sub\/compose\.yaml:2: left/);
  assert.deepEqual(readFileSync(join(dir, 'sub', 'compose.yaml')), latin1, 'byte for byte');
  assert.notEqual(readFileSync(join(dir, 'compose.yaml'), 'utf8'), before, 'the other files are fixed');
  assert.match(w.stderr, /^bulkhead: fixed compose\.yaml$/m);
});

test('a file that is not valid UTF-8 but has nothing to fix is no error', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const latin1 = Buffer.concat([readFileSync(join(fixturesDir, 'rules/runs-as-root/good.Dockerfile')), Buffer.from('# caf\xe9\n', 'latin1')]);
  writeFileSync(join(dir, 'Dockerfile'), latin1);
  const r = runCli(['fix', '--write'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout + r.stderr, '');
  assert.deepEqual(readFileSync(join(dir, 'Dockerfile')), latin1);
});

engineTest('a fixed Dockerfile still builds and runs on the real engine: COPY for ADD, exec-form CMD, as the non-root user, with the RUN after CMD still root', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-fix-'));
  const tag = `bulkhead-fix-test:${process.pid}`;
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    try {
      docker(['rmi', '-f', tag]);
    } catch {
      // never built
    }
  });
  writeFileSync(join(dir, 'hello.txt'), 'hello from the fixed image\n');
  // The test image is busybox: `id` shows who the command runs as.
  // The RUN after CMD writes where only root may: USER goes after it, or the build fails.
  const original = `FROM ${TEST_IMAGE}\n# the greeting\nADD hello.txt /srv/hello.txt\nCMD cat /srv/hello.txt\nRUN mkdir /srv/made-by-root\n`;
  writeFileSync(join(dir, 'Dockerfile'), original);
  const r = runCli(['fix', '--write', 'Dockerfile'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const fixed = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  assert.equal(fixed, `FROM ${TEST_IMAGE}\n# the greeting\nCOPY hello.txt /srv/hello.txt\nCMD ["cat", "/srv/hello.txt"]\nRUN mkdir /srv/made-by-root\nUSER 65532:65532\n`);

  const built = spawnSync('docker', ['-H', engineHostOf(), 'build', '-q', '-t', tag, dir], { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  assert.equal(built.status, 0, built.stderr);
  assert.equal(docker(['image', 'inspect', '-f', '{{json .Config.Cmd}} {{.Config.User}}', tag]), '["cat","/srv/hello.txt"] 65532:65532');
  assert.equal(docker(['run', '--rm', '--network', 'none', tag]), 'hello from the fixed image');
  assert.equal(docker(['run', '--rm', '--network', 'none', tag, 'id', '-u']), '65532');
  assert.equal(docker(['run', '--rm', '--network', 'none', tag, 'stat', '-c', '%u', '/srv/made-by-root']), '0');
  // And a rescan finds none of what was fixed (the original had all three).
  const rulesIn = (text: string) => {
    writeFileSync(join(dir, 'Dockerfile'), text);
    const scan = runCli(['scan', 'Dockerfile', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
    return (JSON.parse(scan.stdout) as { findings: { ruleName: string }[] }).findings.map((f) => f.ruleName);
  };
  const fixedRules = ['add-instead-of-copy', 'shell-form-command', 'runs-as-root'];
  const had = rulesIn(original);
  for (const name of fixedRules) assert.ok(had.includes(name), `the original has ${name}`);
  const now = rulesIn(fixed);
  for (const name of fixedRules) assert.ok(!now.includes(name), `${name} fixed`);
});
