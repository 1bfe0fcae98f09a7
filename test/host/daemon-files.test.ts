/**
 * The daemon and files sections together: the files section checks the TLS
 * files and sockets the daemon section found on the dockerd command line (a
 * dockerd in the tree's /proc), with where each path was set.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../support/env.js';
import { hostTree } from '../support/host-tree.js';

interface Finding {
  ruleName: string;
  message: string;
  subject: { kind: string; name: string };
}

const SOCK = '/run/bulkhead-tls-test/api.sock';

test('TLS files and the socket come from the dockerd command line; a readable key is found, with the flag that named it', async (t) => {
  const argv = ['/usr/sbin/dockerd', '-H', `unix://${SOCK}`, '-H', 'tcp://0.0.0.0:2376', '--tlsverify', '--tlscacert', '/srv/tls/ca.pem', '--tlscert', '/srv/tls/cert.pem', '--tlskey', '/srv/tls/key.pem'];
  const root = hostTree(t, {
    'etc/hostname': 'tlshost\n',
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
    'etc/group': 'root:x:0:\ndocker:x:998:\n',
    'proc/4242/comm': 'dockerd\n',
    'proc/4242/cmdline': `${argv.join('\0')}\0`,
    'proc/4242/status': 'Name:\tdockerd\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n',
    'srv/tls/ca.pem': { text: 'ca', mode: 0o444, uid: 0, gid: 0 },
    'srv/tls/cert.pem': { text: 'cert', mode: 0o444, uid: 0, gid: 0 },
    'srv/tls/key.pem': { text: 'key', mode: 0o644, uid: 0, gid: 0 },
    'run/bulkhead-tls-test': { dir: true, mode: 0o755 },
  });
  // A real listening socket at the path dockerd was given, left world-writable.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, SOCK), resolve));
  t.after(() => server.close());
  const { chmodSync, chownSync } = await import('node:fs');
  chmodSync(join(root, SOCK), 0o666);
  chownSync(join(root, SOCK), 0, 998);

  const r = runCli(['audit', '--root', root, '-H', `unix://${SOCK}`, '--sections', 'files', '-f', 'json', '--fail-on', 'none']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { findings: Finding[]; notes: string[] };
  const about = (name: string) => report.findings.filter((f) => f.subject.name === name).map((f) => `${f.ruleName}: ${f.message}`);
  assert.deepEqual(about('/srv/tls/key.pem').length, 1);
  assert.match(about('/srv/tls/key.pem')[0]!, /^daemon-file-too-permissive: TLS server key \/srv\/tls\/key\.pem \(set by dockerd --tlskey\) has mode 0644/);
  assert.deepEqual(about('/srv/tls/ca.pem'), [], 'the CA at 0444 is fine');
  assert.deepEqual(about('/srv/tls/cert.pem'), []);
  assert.match(about(SOCK).join('\n'), /daemon-file-too-permissive: .*0666/, 'the socket from -H, not /var/run/docker.sock');
  assert.deepEqual(about('/var/run/docker.sock'), []);
  // Facts gathered for the files section do not speak for the daemon section.
  assert.ok(!report.findings.some((f) => f.subject.kind === 'daemon'), JSON.stringify(report.findings));
});
