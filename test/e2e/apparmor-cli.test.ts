/** `bulkhead apparmor generate`: command line in, stdout, stderr, exit code and files out. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, parserTest } from '../support/apparmor.js';
import { fixturesDir, runCli } from '../support/env.js';

const SAMPLE = join(fixturesDir, 'apparmor', 'nginx-sample.toml');
const hasAppArmor = existsSync('/sys/module/apparmor/parameters/enabled');

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-apparmor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

parserTest('generate prints a profile the parser compiles, and on stderr how to use it with docker, compose and Kubernetes', () => {
  const r = runCli(['apparmor', 'generate', SAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^profile docker-nginx-sample flags=\(attach_disconnected,mediate_deleted\) \{$/m);
  assert.equal(compile(r.stdout).code, 0);
  assert.match(r.stderr, /^bulkhead: docker run --security-opt apparmor=docker-nginx-sample /m);
  assert.match(r.stderr, /^bulkhead: compose: security_opt: \["apparmor=docker-nginx-sample"\]$/m);
  assert.match(r.stderr, /appArmorProfile: \{type: Localhost, localhostProfile: docker-nginx-sample\}/);
  assert.match(r.stderr, /container\.apparmor\.security\.beta\.kubernetes\.io\/<container>: localhost\/docker-nginx-sample$/m);
  assert.match(r.stderr, /load it on every Docker host and Kubernetes node/);
  assert.doesNotMatch(r.stdout, /bulkhead:/, 'logs never on stdout');
});

test('-q: the profile alone', () => {
  const r = runCli(['apparmor', 'generate', '-q', SAMPLE]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /capability net_bind_service,/);
});

test('- reads the TOML from stdin', () => {
  const r = runCli(['apparmor', 'generate', '-q', '-'], { input: 'name = "web"\n[network]\nprotocols = ["tcp"]\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^profile docker-web /m);
  assert.match(r.stdout, /^  network inet tcp,$/m);
});

parserTest('--output writes the profile (and nothing to stdout); --check compiles it with the real parser', (t) => {
  const out = join(tmp(t), 'docker-nginx-sample');
  const r = runCli(['apparmor', 'generate', SAMPLE, '--output', out, '--check']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bulkhead: apparmor_parser compiles docker-nginx-sample \(offline\)$/m);
  assert.match(r.stderr, new RegExp(`^bulkhead: wrote ${out}$`, 'm'));
  const written = readFileSync(out, 'utf8');
  assert.equal(written, runCli(['apparmor', 'generate', '-q', SAMPLE]).stdout);
  assert.equal(compile(written).code, 0);
});

test('bad TOML: exit 2, one line naming the file and line, nothing on stdout', (t) => {
  const dir = tmp(t);
  const cases: [string, RegExp][] = [
    ['Name = "x"\n[Filesystem]\nReadOnlyPaths = ["/a",\n', /^bulkhead: .*bad\.toml:4:\d+: /],
    ['Name = "x"\n[Filesystem]\nReadOnlyPath = ["/etc/**"]\n', /^bulkhead: .*bad\.toml:3: unknown key "ReadOnlyPath"/],
    ['Name = "x"\n[Filesystem]\nWritablePaths = "/tmp"\n', /^bulkhead: .*bad\.toml:3: WritablePaths must be a list of strings/],
    ['Name = "x"\n[Filesystem]\nWritablePaths = [\n  "/tmp/**",\n  "/x w,\\n  /** ix",\n]\n', /^bulkhead: .*bad\.toml:5: WritablePaths: .* refused: a comma outside/],
  ];
  for (const [text, says] of cases) {
    const file = join(dir, 'bad.toml');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    const r = runCli(['apparmor', 'generate', file, '-o', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^bulkhead: [^\n]*\n$/, 'one line');
    assert.match(r.stderr, says);
    assert.ok(!existsSync(out), 'no --output written');
  }
  const missing = runCli(['apparmor', 'generate', join(dir, 'nope.toml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope\.toml/);
});

test('--install where the kernel has no AppArmor: exit 3, one line saying why, nothing written', { skip: hasAppArmor ? 'this kernel has AppArmor: the test would load a profile into it' : false }, (t) => {
  const out = join(tmp(t), 'profile');
  const target = '/etc/apparmor.d/containers/docker-nginx-sample';
  const before = existsSync(target) ? statSync(target).mtimeMs : undefined;
  const r = runCli(['apparmor', 'generate', SAMPLE, '--install', '--output', out]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^bulkhead: cannot install: this kernel has no AppArmor \(\/sys\/module\/apparmor\/parameters\/enabled is missing\); nothing was written\n$/);
  assert.ok(!existsSync(out), '--output not written either');
  assert.equal(existsSync(target) ? statSync(target).mtimeMs : undefined, before, `${target} untouched`);
});

test('what bane would do silently is a warning on stderr, and the profile is still made', () => {
  const r = runCli(['apparmor', 'generate', '-'], { input: 'Name = "x"\n[Capabilities]\nAllow = ["chown"]\nDeny = ["sys_admin"]\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^bulkhead: warning: <stdin>:3: \[Capabilities\] Allow is ignored because Deny is given/m);
  assert.match(r.stdout, /^  capability,\n  deny capability sys_admin,$/m);
  assert.doesNotMatch(r.stdout, /capability chown/);
});
