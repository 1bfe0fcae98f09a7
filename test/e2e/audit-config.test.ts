/** `audit`'s config section: the container configuration in the current folder, with or without an engine. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/env.js';

interface Report {
  target: string;
  notes: string[];
  findings: { ruleName: string; subject: { kind: string; name: string }; location: { file?: string; line?: number } }[];
  summary: { subjects: number };
}

const NO_ENGINE = 'unix:///nonexistent/docker.sock';

function project(t: test.TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-project.'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const COMPOSE = 'services:\n  web:\n    image: nginx@sha256:' + 'a'.repeat(64) + '\n    privileged: true\n';

test('a project folder with no engine: the host and the configuration are audited, the engine sections are named as missed, exit 3', (t) => {
  const dir = project(t, { 'compose.yaml': COMPOSE, 'Dockerfile': 'FROM debian:12\nUSER app\n' });
  const r = runCli(['audit', '-H', NO_ENGINE, '-f', 'json', '--fail-on', 'none', '-q'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot reach the Docker engine .*: the images, containers, operations sections were not audited/);
  const report = JSON.parse(r.stdout) as Report;
  assert.match(report.target, /host .*; 2 files with container configuration in /);
  const privileged = report.findings.find((f) => f.ruleName === 'privileged-container');
  assert.deepEqual([privileged?.subject.name, privileged?.location.file, privileged?.location.line], ['web', 'compose.yaml', 4]);
});

test('--sections config alone needs no engine and fails on findings (exit 1)', (t) => {
  const dir = project(t, { 'compose.yaml': COMPOSE });
  const r = runCli(['audit', '-H', NO_ENGINE, '--sections', 'config', '-f', 'json', '-q'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  const report = JSON.parse(r.stdout) as Report;
  assert.ok(report.findings.some((f) => f.ruleName === 'privileged-container'));
  assert.ok(report.findings.every((f) => f.subject.kind !== 'host'));
});

test('a folder that is not a project (no Dockerfile or compose file of its own) is not walked by default', (t) => {
  const dir = project(t, { 'deep/down/compose.yaml': COMPOSE });
  const r = runCli(['audit', '-H', NO_ENGINE, '-f', 'json', '--fail-on', 'none', '-q'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.doesNotMatch(report.target, /configuration/);
  assert.ok(!report.findings.some((f) => f.ruleName === 'privileged-container'));
  // Asked for, it is scanned whole.
  const asked = runCli(['audit', '--sections', 'config', '-f', 'json', '--fail-on', 'none', '-q'], { cwd: dir });
  assert.ok((JSON.parse(asked.stdout) as Report).findings.some((f) => f.ruleName === 'privileged-container'));
});

test('a malformed file in the project: one error line naming it, the rest still audited, exit 2 after the report', (t) => {
  const dir = project(t, { 'compose.yaml': COMPOSE, 'broken/compose.yaml': 'services:\n  a: [\n' });
  const r = runCli(['audit', '--sections', 'config', '-f', 'json', '--fail-on', 'none', '-q'], { cwd: dir });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^bulkhead: broken\/compose\.yaml:\d+:\d+: /m);
  assert.ok((JSON.parse(r.stdout) as Report).findings.some((f) => f.ruleName === 'privileged-container'));
});
