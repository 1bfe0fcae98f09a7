/** `bulkhead ns` with real containers on the private engine: who owns which namespace, who shares the host's. */
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { docker, engineTest, runCli, TEST_IMAGE } from '../support/env.js';

function run(t: TestContext, name: string, flags: readonly string[]): { name: string; id: string; pid: number } {
  const full = `e2e-ns-${name}-${process.pid}`;
  t.after(() => {
    docker(['rm', '-f', full]);
  });
  const id = docker(['run', '-d', '--name', full, ...flags, TEST_IMAGE, 'sleep', '300']);
  return { name: full, id, pid: Number(docker(['inspect', '-f', '{{.State.Pid}}', full])) };
}

const inodeOf = (pid: number, type: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))![1]);

function nsJson(host: string): Record<string, any> {
  const r = runCli(['ns', '-H', host, '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  return JSON.parse(r.stdout) as Record<string, any>;
}

engineTest('a default container owns its own net, pid, ipc, uts and mnt namespaces, named; a --net=host container shows in the sharing summary', async (t, host) => {
  const plainBox = run(t, 'default', []);
  const hostNet = run(t, 'hostnet', ['--net=host']);
  const doc = nsJson(host);
  assert.deepEqual(Object.keys(doc), ['namespaces', 'sharing', 'notes']);
  assert.ok(!doc['notes'].some((n: string) => /cannot reach/.test(n)), doc['notes'].join('\n'));
  for (const type of ['net', 'pid', 'ipc', 'uts', 'mnt']) {
    const ns = doc['namespaces'].find((n: any) => n.type === type && n.inode === inodeOf(plainBox.pid, type));
    assert.ok(ns, type);
    assert.equal(ns.host, false, type);
    assert.deepEqual(ns.containers, [{ id: plainBox.id, name: plainBox.name }], type);
    assert.ok(ns.pids.includes(plainBox.pid));
    assert.equal(ns.pids[0], plainBox.pid, 'the container\'s first process is its lowest PID');
  }
  // The --net=host container is in the host's net namespace, and its own pid namespace.
  const sharing = doc['sharing'].find((s: any) => s.container.id === hostNet.id);
  assert.ok(sharing, JSON.stringify(doc['sharing']));
  assert.deepEqual(sharing.container, { id: hostNet.id, name: hostNet.name });
  assert.ok(sharing.types.includes('net'));
  assert.ok(!sharing.types.includes('pid'));
  const hostNetNs = doc['namespaces'].find((n: any) => n.type === 'net' && n.host === true);
  assert.ok(hostNetNs.containers.some((c: any) => c.id === hostNet.id));
  // The default container shares none of the namespaces Docker isolates.
  const mine = doc['sharing'].find((s: any) => s.container.id === plainBox.id);
  for (const type of ['net', 'pid', 'ipc', 'uts', 'mnt']) assert.ok(!mine?.types.includes(type), type);

  // Text: the container named in its rows; the --net=host one highlighted in the summary.
  const text = runCli(['ns', '-H', host]).stdout;
  assert.match(text, new RegExp(`^net\\s+${inodeOf(plainBox.pid, 'net')}\\s+-\\s+1\\s+${plainBox.pid}\\s+${plainBox.name}\\s+sleep 300$`, 'm'));
  assert.match(text, new RegExp(`^  ${hostNet.name}\\s+.*net.*! shares the host's .*net`, 'm'));
});

engineTest('the engine unreachable: containers by id only and a note, not a failure', async (t) => {
  const box = run(t, 'noengine', []);
  const r = runCli(['ns', '-H', 'unix:///nonexistent/docker.sock', '--format', 'json']);
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  const doc = JSON.parse(r.stdout) as Record<string, any>;
  assert.ok(doc['notes'].some((n: string) => /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker.sock/.test(n)));
  const ns = doc['namespaces'].find((n: any) => n.type === 'net' && n.inode === inodeOf(box.pid, 'net'));
  assert.deepEqual(ns.containers, [{ id: box.id, name: null }]);
});
