/**
 * An engine over TCP with TLS (`dockerd --tlsverify`, DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH on the client's side): a private engine of this test's
 * own, listening on 127.0.0.1 as well as its socket, with certificates made
 * here by openssl. The audit over TLS finds what the audit over the socket
 * finds; without the client's certificates, or trusting another CA, it stops
 * with one line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineTest, repoRoot, runCli, TEST_IMAGE } from '../support/env.js';

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'ignore' });

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as Docker's TLS guide makes them. */
function certificates(dir: string, name = 'ca'): { server: string; client: string } {
  const server = join(dir, 'server');
  const client = join(dir, 'client');
  mkdirSync(server, { recursive: true });
  mkdirSync(client, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', 'ca-key.pem', '-out', 'ca.pem'], dir);
  const issue = (out: string, cn: string, ext: string) => {
    writeFileSync(join(dir, `${cn}.ext`), ext);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${cn}`, '-keyout', join(out, cn === 'client' ? 'key.pem' : 'server-key.pem'), '-out', `${cn}.csr`], dir);
    openssl(['x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-extfile', `${cn}.ext`, '-out', join(out, cn === 'client' ? 'cert.pem' : 'server-cert.pem')], dir);
  };
  issue(server, 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue(client, 'client', 'extendedKeyUsage=clientAuth\n');
  execFileSync('cp', [join(dir, 'ca.pem'), join(server, 'ca.pem')]);
  execFileSync('cp', [join(dir, 'ca.pem'), join(client, 'ca.pem')]);
  return { server, client };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface JsonReport {
  findings: { ruleId: string; subject: { name: string }; location: { path: string } }[];
}
const identities = (stdout: string) => (JSON.parse(stdout) as JsonReport).findings.map((f) => `${f.ruleId} ${f.subject.name} ${f.location.path}`).sort();

engineTest('an engine over TCP with TLS: the same findings as over its socket; no client certificate or another CA: one line, exit 3', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-tls-engine.'));
  t.after(() => {
    execFileSync('bash', [join(repoRoot, 'scripts', 'engine-down.sh'), dir], { stdio: 'ignore' });
  });
  const certs = certificates(join(dir, 'tls'));
  const port = await freePort();
  const tcp = `tcp://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  const flags = [
    `--host ${tcp} --tlsverify --tlscacert ${join(certs.server, 'ca.pem')} --tlscert ${join(certs.server, 'server-cert.pem')} --tlskey ${join(certs.server, 'server-key.pem')}`,
    `--default-address-pool base=10.250.0.0/16,size=24 --config-file ${join(dir, 'daemon.json')}`,
  ].join(' ');
  const socket = execFileSync('bash', [join(repoRoot, 'scripts', 'engine-up.sh'), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DOCKERD_EXTRA_ARGS: flags } }).trim();
  execFileSync('docker', ['-H', socket, 'run', '-d', '--name', 'web', '--pid', 'host', '--cap-add', 'SYS_ADMIN', TEST_IMAGE, 'sleep', '600'], { stdio: 'ignore' });

  const args = ['audit', '--sections', 'containers', '-f', 'json', '-q'];
  const overSocket = runCli([...args, '--host', socket]);
  const overTls = runCli([...args, '--host', tcp], { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.client } });
  assert.equal(overTls.code, 1, overTls.stderr);
  assert.equal(overSocket.code, 1, overSocket.stderr);
  const found = identities(overTls.stdout);
  assert.ok(found.some((f) => f.startsWith('BH004 web')), found.join('\n'));
  assert.deepEqual(found, identities(overSocket.stdout));

  // Plain HTTP to the TLS port: the engine says so.
  const plain = runCli([...args, '--host', tcp], { env: { DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined, DOCKER_TLS: undefined } });
  assert.equal(plain.code, 3, plain.stderr);
  assert.equal(plain.stderr.trim().split('\n').length, 1, plain.stderr);
  assert.match(plain.stderr, new RegExp(`127\\.0\\.0\\.1:${port}.*HTTP 400: Client sent an HTTP request to an HTTPS server`));

  // Trusting another CA: the engine's certificate is refused.
  const other = certificates(join(dir, 'other'), 'another-ca');
  const stranger = runCli([...args, '--host', tcp], { env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: other.client } });
  assert.equal(stranger.code, 3, stranger.stderr);
  assert.equal(stranger.stderr.trim().split('\n').length, 1, stranger.stderr);
  assert.match(stranger.stderr, /certificate/i);
});
