/** Engine resolution, as the Docker CLI does it, against contexts written by the real docker CLI. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';
import { InputError } from '../../src/core/errors.js';
import { engineTest, runCli } from '../support/env.js';

const home = mkdtempSync(join(tmpdir(), 'bulkhead-home-'));

test('order: --host, then DOCKER_HOST, then the default socket', () => {
  const env = { DOCKER_HOST: 'tcp://10.0.0.1:2375', DOCKER_CONFIG: join(home, 'none') };
  assert.equal(resolveEndpoint('unix:///a.sock', env, home).address, 'unix:///a.sock');
  const fromEnv = resolveEndpoint(undefined, env, home);
  assert.deepEqual([fromEnv.from, fromEnv.options.host, fromEnv.options.port, fromEnv.options.protocol], ['DOCKER_HOST', '10.0.0.1', '2375', 'http']);
  const dflt = resolveEndpoint(undefined, { DOCKER_CONFIG: join(home, 'none') }, home);
  assert.deepEqual([dflt.from, dflt.options.socketPath, dflt.local], ['default', '/var/run/docker.sock', true]);
});

test('tcp with DOCKER_TLS_VERIFY reads the certificates of DOCKER_CERT_PATH', () => {
  const certs = join(home, 'certs');
  mkdirSync(certs, { recursive: true });
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), `-- ${f} --`);
  const e = resolveEndpoint('tcp://docker.example:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }, home);
  assert.deepEqual([e.options.protocol, e.options.ca, e.options.cert, e.options.key], ['https', '-- ca.pem --', '-- cert.pem --', '-- key.pem --']);
  assert.throws(() => resolveEndpoint('tcp://h:2376', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(home, 'empty') }, home), /ca\.pem is missing/);
});

test('ssh:// carries user, host and port', () => {
  const e = resolveEndpoint('ssh://ops@build-01:2222', {}, home);
  assert.deepEqual([e.options.protocol, e.options.username, e.options.host, e.options.port, e.local], ['ssh', 'ops', 'build-01', '2222', false]);
});

test('an ssh:// engine that cannot be reached is one error line, without the warning docker-modem\'s address building makes node print', () => {
  const r = runCli(['audit', '-H', 'ssh://root@127.0.0.1:1', '--sections', 'containers', '-q']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^bulkhead: cannot reach the Docker engine at ssh:\/\/root@127\.0\.0\.1:1 \(from --host\): [^\n]+\n$/);
});

test('bad hosts and missing contexts are input errors', () => {
  assert.throws(() => resolveEndpoint('not a url', {}, home), InputError);
  // A hosts-file line with an escape sequence is shown with its escape, not as a clean-looking address.
  assert.throws(() => resolveEndpoint('tcp://127.0.0.1:1\x1b[31m:x', {}, home), /invalid Docker host "tcp:\/\/127\.0\.0\.1:1\\u001b\[31m:x"/);
  assert.throws(() => resolveEndpoint(undefined, { DOCKER_CONTEXT: 'nope', DOCKER_CONFIG: join(home, 'none') }, home), /docker context "nope" \(from DOCKER_CONTEXT\) not found/);
});

engineTest('contexts made by the real docker CLI: DOCKER_CONTEXT and the current context', (_t, host) => {
  const config = mkdtempSync(join(tmpdir(), 'bulkhead-docker-config-'));
  const cli = (...args: string[]) => execFileSync('docker', args, { env: { ...process.env, DOCKER_CONFIG: config, DOCKER_HOST: '' }, encoding: 'utf8' });
  cli('context', 'create', 'private-engine', '--docker', `host=${host}`);
  const byName = resolveEndpoint(undefined, { DOCKER_CONTEXT: 'private-engine', DOCKER_CONFIG: config }, home);
  assert.deepEqual([byName.address, byName.from], [host, 'DOCKER_CONTEXT']);
  cli('context', 'use', 'private-engine');
  const current = resolveEndpoint(undefined, { DOCKER_CONFIG: config }, home);
  assert.deepEqual([current.address, current.from], [host, 'docker context']);
  // And the CLI audits through it.
  const r = runCli(['audit', '-f', 'json', '--fail-on', 'none'], { env: { DOCKER_CONFIG: config, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).target, new RegExp(`^engine ${host.replace(/[/.]/g, '\\$&')}`));
});
