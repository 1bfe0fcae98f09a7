/** `bulkhead inspect` of real processes: unshare'd namespaces, user namespace maps, setpriv's capability sets, hand-made cgroups, a named netns with a veth pair. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { HostRoot } from '../../src/linux/host-root.js';
import { readProcessFacts } from '../../src/linux/process-facts.js';
import { decodeCapMask } from '../../src/linux/capabilities.js';
import { runCli } from '../support/env.js';
import { childRunning, rootTest, running, startProcess, stopProcess, waitFor } from '../support/processes.js';

const root = new HostRoot('/');
const tag = `bh${process.pid}`;

function inspectJson(args: readonly string[]): Record<string, any> {
  const r = runCli(['inspect', ...args, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, any>;
}

rootTest('unshare --pid --net --uts --ipc --mount-proc: those namespaces are its own, the others shared with the host (CLI, JSON contract)', async (t) => {
  const unshare = startProcess(t, 'unshare', ['--fork', '--kill-child', '--pid', '--net', '--uts', '--ipc', '--mount-proc', 'sleep', '300']);
  const pid = await childRunning(unshare.pid!, 'sleep');
  const doc = inspectJson([String(pid)]);
  assert.deepEqual(Object.keys(doc), ['pid', 'namespaces', 'capabilities', 'noNewPrivs', 'seccomp', 'apparmor', 'selinux', 'cgroups', 'network', 'mounts', 'notes']);
  assert.deepEqual(Object.keys(doc['namespaces']).sort(), ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
  const shared = Object.fromEntries(Object.entries(doc['namespaces'] as Record<string, { sharedWithHost: boolean }>).map(([k, v]) => [k, v.sharedWithHost]));
  assert.deepEqual(shared, { cgroup: true, ipc: false, mnt: false, net: false, pid: false, time: true, user: true, uts: false });
  // The inodes are the kernel's, as its /proc/PID/ns links say.
  for (const type of ['net', 'pid', 'user']) {
    const link = execFileSync('readlink', [`/proc/${pid}/ns/${type}`], { encoding: 'utf8' }).trim();
    assert.equal(link, `${type}:[${doc['namespaces'][type].inode}]`);
  }
  // Its own network namespace: only lo, down, no address, no route.
  assert.deepEqual(doc['network'], { interfaces: [{ name: 'lo', addresses: [] }], routes: [] });
  // The same process seen by a host process: everything shared, nothing highlighted.
  const self = inspectJson(['--self']);
  assert.ok(Object.values(self['namespaces'] as Record<string, { sharedWithHost: boolean }>).every((n) => n.sharedWithHost === true));
  const text = runCli(['inspect', String(pid)]).stdout;
  assert.match(text, /net\s+\d+\s+own/);
  assert.match(text, /user\s+\d+\s+shared with host.*! shares the host's user namespace/);
});

rootTest('unshare --user --map-root-user: its own user namespace and the uid/gid maps', async (t) => {
  const child = startProcess(t, 'unshare', ['--user', '--map-root-user', 'sleep', '300']);
  const pid = await running(child.pid!, 'sleep');
  const facts = readProcessFacts(root, pid);
  assert.equal(facts.namespaces.user?.sharedWithHost, false);
  assert.deepEqual(facts.namespaces.user?.uidMap, [{ inside: 0, outside: 0, count: 1 }]);
  assert.deepEqual(facts.namespaces.user?.gidMap, [{ inside: 0, outside: 0, count: 1 }]);
  assert.equal(facts.namespaces.net?.sharedWithHost, true);
  // The host's own maps are the identity.
  assert.deepEqual(readProcessFacts(root, process.pid).namespaces.user?.uidMap, [{ inside: 0, outside: 0, count: 4294967295 }]);
});

rootTest('setpriv with a reduced bounding set and no inheritable caps: the sets decode right (capsh --decode agrees)', async (t) => {
  const child = startProcess(t, 'setpriv', ['--bounding-set', '-all,+chown,+kill,+sys_admin', '--inh-caps', '-all', '--no-new-privs', 'sleep', '300']);
  const pid = await running(child.pid!, 'sleep');
  const facts = readProcessFacts(root, pid);
  assert.deepEqual(facts.capabilities?.bounding, ['chown', 'kill', 'sys_admin']);
  assert.deepEqual(facts.capabilities?.inheritable, []);
  assert.equal(facts.noNewPrivs, true);
  // The oracle: capsh decodes the same CapBnd line.
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const bnd = /^CapBnd:\s+([0-9a-f]+)$/m.exec(status)![1]!;
  const capsh = execFileSync('capsh', [`--decode=${bnd}`], { encoding: 'utf8' }).trim().split('=')[1]!.split(',').map((n) => n.replace(/^cap_/, ''));
  assert.deepEqual(decodeCapMask(bnd), capsh);
  assert.ok(facts.capabilities?.beyondDockerDefault.includes('sys_admin'));
  assert.ok(!facts.capabilities?.beyondDockerDefault.includes('chown'));
});

rootTest('a hand-made cgroup (cpuset, memory, pids): inspect shows the membership and the limits written', async (t) => {
  const name = `bulkhead-test-${tag}`;
  const dirs = { cpuset: `/sys/fs/cgroup/cpuset/${name}`, memory: `/sys/fs/cgroup/memory/${name}`, pids: `/sys/fs/cgroup/pids/${name}` };
  if (!existsSync('/sys/fs/cgroup/cpuset/cpuset.cpus')) return t.skip('no cgroup v1 cpuset hierarchy at /sys/fs/cgroup/cpuset');
  const child = startProcess(t, 'sleep', ['300']);
  // Removed after the process (a cgroup with a task cannot be removed), even on failure.
  t.after(async () => {
    await stopProcess(child);
    for (const d of Object.values(dirs)) if (existsSync(d)) rmdirSync(d);
  });
  for (const d of Object.values(dirs)) mkdirSync(d);
  writeFileSync(`${dirs.cpuset}/cpuset.cpus`, '0');
  writeFileSync(`${dirs.cpuset}/cpuset.mems`, '0');
  writeFileSync(`${dirs.memory}/memory.limit_in_bytes`, String(64 * 1024 * 1024));
  writeFileSync(`${dirs.pids}/pids.max`, '7');
  for (const d of Object.values(dirs)) writeFileSync(`${d}/tasks`, String(child.pid));
  const facts = readProcessFacts(root, child.pid!);
  const v1 = Object.fromEntries(facts.cgroups!.v1.map((e) => [e.controllers.join(','), e.path]));
  assert.equal(v1['cpuset'], `/${name}`);
  assert.equal(v1['memory'], `/${name}`);
  assert.equal(v1['pids'], `/${name}`);
  assert.equal(facts.cgroups!.limits.cpus, '0');
  assert.equal(facts.cgroups!.limits.mems, '0');
  assert.equal(facts.cgroups!.limits.memoryBytes, 64 * 1024 * 1024);
  assert.equal(facts.cgroups!.limits.pidsMax, 7);
  // Outside the cgroup: no such limits.
  const mine = readProcessFacts(root, process.pid).cgroups!.limits;
  assert.equal(mine.pidsMax, 'max');
});

rootTest('a named netns with a veth end inside, addressed, lo up: a process inside shows its interfaces, addresses and routes', async (t) => {
  const ns = `${tag}-ns`;
  const [a, b] = [`${tag}a`.slice(0, 15), `${tag}b`.slice(0, 15)];
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    try {
      ip('link', 'del', a);
    } catch {
      /* gone with the namespace */
    }
    try {
      ip('netns', 'del', ns);
    } catch {
      /* never made */
    }
  });
  ip('netns', 'add', ns);
  ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  ip('link', 'set', b, 'netns', ns);
  ip('-n', ns, 'addr', 'add', '10.231.77.2/24', 'dev', b);
  ip('-n', ns, 'addr', 'add', 'fd00:231:77::2/64', 'dev', b, 'nodad');
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', ns, 'link', 'set', b, 'up');
  ip('link', 'set', a, 'up');
  ip('-n', ns, 'route', 'add', 'default', 'via', '10.231.77.1');
  const child = startProcess(t, 'ip', ['netns', 'exec', ns, 'sleep', '300']);
  t.after(() => stopProcess(child)); // before the netns is deleted (after hooks run last-added first)
  const pid = await running(child.pid!, 'sleep');
  const facts = readProcessFacts(root, pid);
  assert.equal(facts.namespaces.net?.sharedWithHost, false);
  const byName = new Map(facts.network!.interfaces.map((i) => [i.name, i.addresses]));
  assert.deepEqual(byName.get('lo'), ['127.0.0.1/8', '::1/128']);
  const inside = byName.get(b)!;
  assert.ok(inside.includes('10.231.77.2/24'), inside.join(' '));
  assert.ok(inside.includes('fd00:231:77::2/64'), inside.join(' '));
  assert.ok(inside.some((x) => x.startsWith('fe80::')), inside.join(' '));
  assert.ok(!byName.has(a), 'the host end is not in its namespace');
  assert.deepEqual(facts.network!.routes.filter((r) => !r.destination.includes(':')), [
    { destination: '0.0.0.0/0', gateway: '10.231.77.1', interface: b },
    { destination: '10.231.77.0/24', gateway: null, interface: b },
  ]);
});

rootTest('a process that exits mid-read: a partial result with a note, no crash', async (t) => {
  const child = startProcess(t, 'sleep', ['300']);
  const pid = await running(child.pid!, 'sleep');
  // A HostRoot that kills the process after its first read of /proc/PID: the kernel's own timing, forced.
  let killed = false;
  class Killing extends HostRoot {
    override readText(path: string): string | undefined {
      const text = super.readText(path);
      if (!killed && path.startsWith(`/proc/${pid}/`)) {
        killed = true;
        child.kill('SIGKILL');
        // Waits for the reaping (node reaps its children on its own thread), then every later read fails.
        execFileSync('sh', ['-c', `while [ -e /proc/${pid}/status ] && ! grep -q '^State:.*Z' /proc/${pid}/status 2>/dev/null; do sleep 0.05; done`]);
      }
      return text;
    }
  }
  const facts = readProcessFacts(new Killing('/'), pid);
  assert.ok(killed);
  assert.ok(facts.notes.some((n) => /exited|not read/.test(n)), facts.notes.join('\n'));
  assert.equal(facts.network, null, 'read after it exited');
  await waitFor('the process to be gone', () => (existsSync(`/proc/${pid}`) ? undefined : true));
  const r = runCli(['inspect', String(pid)]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `bulkhead: no process ${pid}\n`);
});

rootTest('unreadable /proc entries (PID 1\'s namespace links, here): a partial result with notes and exit 3, never a stack trace', (t) => {
  let unreadable = false;
  try {
    execFileSync('readlink', ['/proc/1/ns/net'], { stdio: 'ignore' });
  } catch {
    unreadable = true;
  }
  if (!unreadable) return t.skip('PID 1\'s namespace links are readable on this machine');
  const r = runCli(['inspect', '1']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /net namespace not read: \/proc\/1\/ns\/net: permission denied/);
  assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  assert.match(r.stdout, /^PID 1$/m);
  // The host's namespaces still come from kthreadd, so other processes compare fine.
  const self = inspectJson(['--self']);
  assert.equal(self['namespaces']['net']['sharedWithHost'], true);
});

rootTest('usage errors: exit 2, one line', () => {
  for (const args of [['inspect'], ['inspect', '1', '--self'], ['inspect', '999999999']]) {
    const r = runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
