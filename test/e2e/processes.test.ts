/** The two ways the live audit sees a container's processes agree with each other and with reality. */
import assert from 'node:assert/strict';
import { processesByContainer, isLocalContainerPid } from '../../src/linux/container-processes.js';
import { processesFromTop } from '../../src/inputs/engine/fetch.js';
import { openClient } from '../../src/inputs/engine/client.js';
import { resolveEndpoint } from '../../src/inputs/engine/endpoint.js';
import { docker, engineTest, TEST_IMAGE } from '../support/env.js';

engineTest('/proc scan and GET /top both find the sshd of a running container', async (_t, host) => {
  const name = `e2e-proc-${process.pid}`;
  const id = docker(['run', '-d', '--name', name, TEST_IMAGE, '/usr/sbin/sshd']);
  try {
    const pid = Number(docker(['inspect', '-f', '{{.State.Pid}}', id]));
    assert.ok(isLocalContainerPid(pid, id), 'the private engine runs on this machine');
    const fromProc = (await processesByContainer([id])).get(id) ?? [];
    assert.deepEqual(fromProc.map((p) => [p.pid, p.command]), [[pid, '/usr/sbin/sshd']]);
    const client = await openClient(resolveEndpoint(host), { timeoutMs: 10_000, concurrency: 1 });
    const fromTop = await processesFromTop(client, id);
    client.close();
    assert.deepEqual(fromTop?.map((p) => [p.pid, p.command]), [[pid, '/usr/sbin/sshd']]);
  } finally {
    docker(['rm', '-f', name]);
  }
});
