/** `bulkhead scan` as a user runs it: folders, stdin, broken files, ignores and the config file. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, repoRoot } from '../support/env.js';

interface JsonFinding {
  ruleName: string;
  subject: { kind: string; name: string };
  location: { file?: string; line?: number; column?: number; path: string };
}

const realWorld = join(repoRoot, 'test', 'scan', 'real-world');

/** A copy of the real-world files in a fresh folder, which is also the working folder of the run. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-scan-'));
  cpSync(realWorld, dir, { recursive: true });
  return dir;
}

function scanJson(args: string[], cwd: string, input?: string) {
  const r = runCli(['scan', ...args, '-f', 'json', '--fail-on', 'none'], { cwd, ...(input !== undefined ? { input } : {}) });
  return { ...r, doc: r.stdout ? (JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { suppressed: number }; suppressed?: unknown[]; notes: string[] }) : undefined };
}

test('a folder: every kind of input, placed at file:line:column relative to the working folder', () => {
  const dir = project();
  const { code, doc, stderr } = scanJson([], dir);
  assert.equal(code, 0, stderr);
  const files = new Set(doc!.findings.map((f) => f.location.file));
  for (const f of ['compose-stack/compose.yaml', 'helm-deployment.k8s.yaml', 'ecs-service.json', 'node-app.Dockerfile']) assert.ok(files.has(f), `${f} in ${[...files].join(', ')}`);
  assert.ok(doc!.findings.every((f) => f.location.line! >= 1 && f.location.column! >= 1));
});

test('a malformed file is reported with its position; the others are still scanned; exit 2', () => {
  const dir = project();
  writeFileSync(join(dir, 'broken.k8s.yaml'), 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n');
  const { code, doc, stderr } = scanJson([], dir);
  assert.equal(code, 2);
  assert.match(stderr, /^bulkhead: broken\.k8s\.yaml:\d+:\d+: malformed YAML: /m);
  assert.ok(doc!.findings.some((f) => f.location.file === 'helm-deployment.k8s.yaml'), 'other files still scanned');
  assert.match(doc!.notes.join('\n'), /1 file could not be scanned/);
});

test('hostile YAML: an alias bomb and absurd nesting are refused cleanly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-hostile-'));
  const bomb = ['apiVersion: v1', 'kind: Pod', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
  writeFileSync(join(dir, 'bomb.yaml'), bomb.join('\n') + '\n');
  writeFileSync(join(dir, 'deep.yaml'), 'apiVersion: v1\nkind: Pod\nspec: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n');
  const r = runCli(['scan', '.', '-q'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bomb\.yaml:\d+:\d+: refused YAML: /);
  assert.match(r.stderr, /deep\.yaml:\d+:\d+: refused YAML: nested deeper than 64 levels/);
  assert.equal(r.stderr.trim().split('\n').length, 2, r.stderr);
});

test('hostile Dockerfile: a variable that doubles at each ENV is refused at its line; the other files are still scanned', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-hostile-'));
  const lines = ['FROM ubuntu:22.04', 'ENV V0=abcdefgh'];
  for (let i = 1; i < 30; i++) lines.push(`ENV V${i}=\${V${i - 1}}\${V${i - 1}}`);
  writeFileSync(join(dir, 'Dockerfile'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.25\n    privileged: true\n');
  const r = runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
  assert.equal(r.code, 2);
  // V0 is 8 characters: V17 is the first past 1 MiB, on line 20.
  assert.equal(r.stderr, 'bulkhead: Dockerfile:20:1: refused: a variable here expands to more than 1048576 characters (each ENV or ARG that repeats the last one doubles it)\n');
  assert.ok((JSON.parse(r.stdout) as { findings: { ruleName: string }[] }).findings.some((f) => f.ruleName === 'privileged-container'));
});

test('an option value with escape sequences, on the command line or from its variable, is refused without them reaching the terminal', () => {
  for (const r of [runCli(['scan', '-f', 'x\x1b]0;pwn\x07\x1b[2J']), runCli(['scan'], { env: { BULKHEAD_FORMAT: 'y\u009b31m\r' } })]) {
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: option '-f, --format <format>' (argument|value) '[xy](31m)?' .*is invalid/);
    assert.doesNotMatch(r.stderr, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  }
});

test('--exclude skips matching paths', () => {
  const dir = project();
  const { doc } = scanJson(['--exclude', 'compose-stack/**', '--exclude', '*.Dockerfile'], dir);
  const files = new Set(doc!.findings.map((f) => f.location.file));
  assert.ok(![...files].some((f) => f!.startsWith('compose-stack/') || f!.endsWith('.Dockerfile')), [...files].join(', '));
  assert.ok(files.has('ecs-service.json'));
});

test('stdin needs --kind, and is then scanned as that kind', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    securityContext: {privileged: true}\n';
  const r = scanJson(['-', '--kind', 'kubernetes'], repoRoot, pod);
  assert.equal(r.code, 0, r.stderr);
  const privileged = r.doc!.findings.find((f) => f.ruleName === 'privileged-container')!;
  assert.deepEqual([privileged.location.file, privileged.location.line, privileged.subject.name], ['-', 8, 'Pod/p/c']);
  const without = runCli(['scan', '-'], { input: pod });
  assert.equal(without.code, 2);
  assert.match(without.stderr, /needs --kind/);
});

test('ignores: inline comment, Kubernetes annotation and .bulkhead.yaml, each with its reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-ignore-'));
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(
    join(dir, 'deploy', 'agent.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: agent',
      '  annotations:',
      '    bulkhead.io/ignore: "KSV-0010,no-cpu-limit"',
      '    bulkhead.io/ignore-reason: the agent reads every process of the node',
      'spec:',
      '  template:',
      '    spec:',
      '      hostPID: true',
      '      containers:',
      '      - name: agent',
      '        image: registry.example/agent:2.1',
      '        securityContext:',
      '          # bulkhead ignore=CKV_K8S_16 eBPF needs it',
      '          privileged: true',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '.bulkhead.yaml'), 'ignore:\n  - id: BH018\n    reason: memory is capped by the node pool\n    paths: ["deploy/**"]\n');
  const { doc } = scanJson(['--show-suppressed'], dir);
  const reported = new Set(doc!.findings.map((f) => f.ruleName));
  for (const gone of ['host-pid', 'no-cpu-limit', 'privileged-container', 'no-memory-limit']) assert.ok(!reported.has(gone), `${gone} should be suppressed`);
  const suppressed = doc!.suppressed as { ruleName: string; suppression: { kind: string; reason: string; where: string } }[];
  const by = (name: string) => suppressed.find((s) => s.ruleName === name)!.suppression;
  assert.deepEqual(by('host-pid'), { kind: 'annotation', reason: 'the agent reads every process of the node', where: 'deploy/agent.yaml:6:5' });
  assert.deepEqual(by('privileged-container'), { kind: 'inline', reason: 'eBPF needs it', where: 'deploy/agent.yaml:16' });
  assert.deepEqual(by('no-memory-limit'), { kind: 'config', reason: 'memory is capped by the node pool', where: '.bulkhead.yaml:2:5' });
  assert.equal(doc!.summary.suppressed, suppressed.length);
  const text = runCli(['scan', '--fail-on', 'none'], { cwd: dir });
  assert.match(text.stdout, /\d+ suppressed \(--show-suppressed lists them\)/);
});

test('a config file with an unknown key stops the run with its position', () => {
  const dir = project();
  writeFileSync(join(dir, '.bulkhead.yaml'), 'ignore: []\nseverities:\n  BH019: info\n');
  const r = runCli(['scan'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^bulkhead: .*\.bulkhead\.yaml:2:1: unknown key "severities"/);
});

test('`scan .` in the folder that holds .bulkhead.yaml reads it once (the scanned folder and the working one are the same)', () => {
  const dir = project();
  writeFileSync(join(dir, '.bulkhead.yaml'), 'ignore:\n  - id: BH018\n    reason: old\n    expires: 2000-01-01\n');
  const r = runCli(['scan', '.', '-f', 'json', '--fail-on', 'none'], { cwd: dir });
  const notes = (JSON.parse(r.stdout) as { notes: string[] }).notes.filter((n) => n.includes('expired'));
  assert.equal(notes.length, 1, notes.join('\n'));
});

test('fail-on from the config, and the flag over it', () => {
  const dir = project();
  writeFileSync(join(dir, '.bulkhead.yaml'), 'fail-on: none\n');
  assert.equal(runCli(['scan', '-q'], { cwd: dir }).code, 0);
  assert.equal(runCli(['scan', '-q', '--fail-on', 'info'], { cwd: dir }).code, 1);
  assert.equal(runCli(['scan', '-q'], { cwd: dir, env: { BULKHEAD_FAIL_ON: 'info' } }).code, 1);
});
