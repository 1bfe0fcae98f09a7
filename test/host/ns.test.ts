/** `bulkhead ns` on real namespaces: an unshare'd process, a named netns with no process in it, and the host's own. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readlinkSync, statSync } from 'node:fs';
import { HostRoot } from '../../src/linux/host-root.js';
import { readNamespaceMap } from '../../src/linux/namespace-map.js';
import { cliPath, runCli } from '../support/env.js';
import { childRunning, rootTest, startProcess } from '../support/processes.js';

interface NsJson {
  namespaces: { type: string; inode: number; host: boolean | null; processes: number; pids: number[]; command: string; containers: { id: string; name: string | null }[]; netns: string[] }[];
  sharing: { container: { id: string; name: string | null }; types: string[] }[];
  notes: string[];
}

function nsJson(): NsJson {
  const r = runCli(['ns', '--format', 'json', '-H', 'unix:///nonexistent/docker.sock']);
  // Exit 3 only when some process could not be read (this sandbox's PID 1 may hide its links even from root).
  assert.ok(r.code === 0 || r.code === 3, r.stderr);
  return JSON.parse(r.stdout) as NsJson;
}

const inodeOf = (pid: number | 'self', type: string) => Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))![1]);

rootTest('unshare --pid --net --uts --mount-proc: its namespaces are listed, not the host\'s, with its PID; the rest are the host\'s (JSON shape)', async (t) => {
  const unshare = startProcess(t, 'unshare', ['--fork', '--kill-child', '--pid', '--net', '--uts', '--mount-proc', 'sleep', '60']);
  const pid = await childRunning(unshare.pid!, 'sleep');
  const doc = nsJson();
  assert.deepEqual(Object.keys(doc), ['namespaces', 'sharing', 'notes']);
  for (const n of doc.namespaces) assert.deepEqual(Object.keys(n), ['type', 'inode', 'host', 'processes', 'pids', 'command', 'containers', 'netns']);
  const find = (type: string, inode: number) => doc.namespaces.find((n) => n.type === type && n.inode === inode);
  for (const type of ['pid', 'net', 'uts', 'mnt']) {
    const ns = find(type, inodeOf(pid, type));
    assert.ok(ns, `${type} namespace of ${pid} listed`);
    assert.equal(ns.host, false, type);
    assert.equal(ns.containers.length, 0);
    // unshare itself moves into the new net, uts and mount namespaces; the new PID namespace is only its child's.
    const expected = (type === 'pid' ? [pid] : [unshare.pid!, pid]).sort((a, b) => a - b);
    assert.deepEqual(ns.pids, expected, type);
    assert.equal(ns.processes, expected.length);
    assert.equal(ns.command, expected[0] === pid ? 'sleep 60' : 'unshare --fork --kill-child --pid --net --uts --mount-proc sleep 60', type);
  }
  // Namespaces not unshared are the host's, with both processes in them.
  for (const type of ['ipc', 'user', 'cgroup']) {
    const ns = find(type, inodeOf(pid, type));
    assert.equal(ns?.host, true, type);
    assert.ok(ns.pids.includes(pid) && ns.pids.includes(process.pid), type);
    assert.deepEqual(ns.pids, [...ns.pids].sort((a, b) => a - b), 'lowest PID first');
  }
  // Every namespace is listed once; our own net namespace is the host's.
  const keys = doc.namespaces.map((n) => `${n.type}:${n.inode}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(find('net', inodeOf('self', 'net'))?.host, true);
  // The engine could not be reached: a note, not a failure.
  assert.ok(doc.notes.some((n) => /cannot reach the Docker engine/.test(n)) || doc.namespaces.every((n) => n.containers.length === 0));

  const text = runCli(['ns', '-H', 'unix:///nonexistent/docker.sock']).stdout;
  assert.match(text, new RegExp(`^pid\\s+${inodeOf(pid, 'pid')}\\s+-\\s+1\\s+${pid}\\s+-\\s+sleep 60$`, 'm'));
});

rootTest('ip netns add: the named netns is listed by name with its inode, though no process is in it; gone once deleted', async (t) => {
  const name = `bh-ns-test-${randomBytes(4).toString('hex')}`;
  t.after(() => {
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // not made, or already deleted by the test
    }
  });
  execFileSync('ip', ['netns', 'add', name]);
  const inode = statSync(`/run/netns/${name}`).ino;
  const doc = nsJson();
  const ns = doc.namespaces.find((n) => n.netns.includes(name));
  assert.ok(ns, `netns ${name} listed`);
  assert.deepEqual({ type: ns.type, inode: ns.inode, host: ns.host, processes: ns.processes, pids: ns.pids, command: ns.command }, { type: 'net', inode, host: false, processes: 0, pids: [], command: '' });
  // The text table names it in the CONTAINER/NETNS column, with no process.
  assert.match(runCli(['ns', '-H', 'unix:///nonexistent/docker.sock']).stdout, new RegExp(`^net\\s+${inode}\\s+-\\s+0\\s+-\\s+netns ${name}\\s+$`, 'm'));
  execFileSync('ip', ['netns', 'del', name]);
  assert.ok(!nsJson().namespaces.some((n) => n.netns.includes(name)));
});

rootTest('a process that exits during the walk is skipped silently; the reader never throws on a live /proc', async (t) => {
  // Many short-lived processes come and go while /proc is walked.
  const churn = startProcess(t, 'sh', ['-c', 'while :; do /bin/true; done']);
  assert.ok(churn.pid);
  for (let i = 0; i < 20; i++) {
    const map = readNamespaceMap(new HostRoot('/'));
    assert.ok(map.notes.every((n) => !/exited/.test(n)), map.notes.join('\n'));
    assert.ok(map.namespaces.some((n) => n.type === 'net' && n.host === true));
  }
});

rootTest('as nobody: processes whose namespaces cannot be read become one note with a count, exit 3, no stack trace', () => {
  const r = spawnSync('setpriv', ['--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', process.execPath, cliPath, 'ns', '--format', 'json', '-H', 'unix:///nonexistent/docker.sock'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 3, r.stderr);
  const doc = JSON.parse(r.stdout) as NsJson;
  const notes = doc.notes.filter((n) => /not read/.test(n));
  assert.equal(notes.length, 1, doc.notes.join('\n'));
  assert.match(notes[0]!, /^\d+ process(es)? not read \(permission denied\): run as root to see every namespace$/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  // Its own processes it can read: its own namespaces (the host's) are still listed.
  assert.ok(doc.namespaces.some((n) => n.type === 'net' && n.host !== false && n.pids.length > 0));
});
