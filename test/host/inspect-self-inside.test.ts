/**
 * `inspect --self` from inside, the way amicontained runs: bulkhead itself in
 * new PID, network, UTS and IPC namespaces (as in a container, where PID 1 is
 * not the host's): what it can compare with the kernel's initial namespaces
 * it does, and it says which it cannot.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath } from '../support/env.js';
import { rootTest } from '../support/processes.js';

rootTest('inspect --self in its own PID, net, UTS and IPC namespaces: those are not the host\'s, net and mnt cannot be compared, and it says so', () => {
  const r = spawnSync('unshare', ['--fork', '--pid', '--net', '--uts', '--ipc', '--mount-proc', process.execPath, cliPath, 'inspect', '--self', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { namespaces: Record<string, { sharedWithHost: boolean | null }>; notes: string[] };
  const shared = Object.fromEntries(Object.entries(doc.namespaces).map(([type, n]) => [type, n.sharedWithHost]));
  assert.deepEqual(
    { pid: shared['pid'], uts: shared['uts'], ipc: shared['ipc'], user: shared['user'], net: shared['net'], mnt: shared['mnt'] },
    { pid: false, uts: false, ipc: false, user: true, net: null, mnt: null },
  );
  assert.ok(doc.notes.some((n) => /PID 1 is not the host's/.test(n) && /net and mnt cannot be/.test(n)), JSON.stringify(doc.notes));
});
