/** What the live audit does when the engine is missing, or changes under it. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, engineTest, runCli, TEST_IMAGE } from '../support/env.js';
import { fetchWorkload } from '../../src/inputs/engine/fetch.js';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';

test('an unreachable unix socket, only containers asked for: exit 3 and one line naming it', () => {
  const r = runCli(['audit', '-q', '--sections', 'containers', '-H', 'unix:///nonexistent/docker.sock']);
  assert.equal(r.code, 3);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock \(from --host\): no such socket/);
  assert.equal(r.stdout, '');
});

test('an unreachable engine in a whole audit: the host is still audited and reported, the report and stderr say what was missed, exit 3', () => {
  const r = runCli(['audit', '-q', '-f', 'json', '-H', 'unix:///nonexistent/docker.sock']);
  assert.equal(r.code, 3);
  const missed = /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker\.sock \(from --host\): no such socket: the images, containers, operations sections were not audited/;
  assert.match(r.stderr, missed);
  const report = JSON.parse(r.stdout) as { target: string; notes: string[] };
  assert.match(report.target, /^host /);
  assert.ok(report.notes.some((n) => missed.test(n)), JSON.stringify(report.notes));
});

test('a closed TCP port: exit 3, connection refused', () => {
  const r = runCli(['audit', '-q'], { env: { DOCKER_HOST: 'tcp://127.0.0.1:1' } });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /tcp:\/\/127\.0\.0\.1:1 \(from DOCKER_HOST\): connection refused/);
});

test('a malformed --host is a usage error', () => {
  const r = runCli(['audit', '-H', 'ftp://x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unsupported Docker host "ftp:\/\/x" \(from --host\)/);
});

/**
 * A proxy in front of the real engine that removes a container just before
 * forwarding its inspect request, so the real engine answers 404 exactly as
 * it does when a container goes away between list and inspect.
 */
function vanishingProxy(target: string, socket: string, victim: string): Promise<Server> {
  const server = createServer((req, res) => {
    const forward = () => {
      const up = request({ socketPath: target, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      req.pipe(up);
    };
    if (req.url && /\/containers\/[0-9a-f]{64}\/json/.test(req.url) && req.url.includes(victim)) docker(['rm', '-f', victim]);
    forward();
  });
  return new Promise((resolve) => server.listen(socket, () => resolve(server)));
}

engineTest('a container removed between list and inspect is skipped with a note', async (_t, host) => {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-proxy-'));
  const name = `e2e-vanish-${process.pid}`;
  const id = docker(['create', '--name', name, TEST_IMAGE, 'sleep', '1']);
  const proxySocket = join(dir, 'proxy.sock');
  const server = await vanishingProxy(new URL(host).pathname, proxySocket, id);
  try {
    const { workload, notes } = await fetchWorkload(resolveEndpoint(`unix://${proxySocket}`), { all: true });
    assert.ok(!workload.containers.some((c) => c.subject.id === id), 'the vanished container is not audited');
    assert.ok(notes.some((n) => n.includes(name) && n.includes('removed during the audit')), notes.join('\n'));
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
    try {
      docker(['rm', '-f', name]);
    } catch {
      // already gone, as intended
    }
  }
});
