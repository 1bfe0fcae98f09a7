import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { HostReadError, type HostRoot } from './host-root.js';
import { namespaceInode, NAMESPACE_TYPES, type NamespaceType } from './namespaces.js';
import { MissingPart, ProcessDir } from './proc-dir.js';
import { hostNamespaces } from './process-facts.js';

/** One namespace of the host, as the processes in it and /run/netns show it. */
export interface NamespaceEntry {
  readonly type: NamespaceType;
  readonly inode: number;
  /** The host's own namespace (the host reference PID's); null when it cannot be compared. */
  readonly host: boolean | null;
  /** Every process in it, lowest PID first (as lsns). */
  readonly pids: readonly number[];
  /** The lowest PID's command line ('' for a named netns with no process in it). */
  readonly command: string;
  /** The 64-hex container ids found in its processes' cgroup paths. */
  readonly containerIds: readonly string[];
  /** Names under /run/netns bound to it (net namespaces only). */
  readonly netns: readonly string[];
}

export interface NamespaceMap {
  readonly namespaces: readonly NamespaceEntry[];
  readonly notes: readonly string[];
  /** Processes whose namespaces could not be read (not those that exited): the map is partial. */
  readonly unreadable: number;
}

interface Seen {
  pids: number[];
  commands: Map<number, string>;
  containerIds: Set<string>;
  netns: string[];
}

/**
 * Every namespace of the host, from one walk of /proc (each process's
 * ns/* links, cgroup and command line) and the nsfs files bind-mounted
 * under /run/netns. A process that exits during the walk is skipped
 * silently; entries that cannot be read are counted into one note.
 */
export function readNamespaceMap(root: HostRoot, options: { hostPid?: number } = {}): NamespaceMap {
  const notes: string[] = [];
  const host = hostNamespaces(root, options.hostPid, notes);
  const seen = new Map<string, Seen>();
  const entry = (type: NamespaceType, inode: number): Seen => {
    const key = `${type}:${inode}`;
    let s = seen.get(key);
    if (!s) seen.set(key, (s = { pids: [], commands: new Map(), containerIds: new Set(), netns: [] }));
    return s;
  };

  const unreadable = new Map<string, number>();
  for (const name of root.list('/proc') ?? []) {
    if (!/^\d+$/.test(name)) continue;
    const dir = new ProcessDir(root, Number(name));
    let links: [NamespaceType, number][];
    try {
      links = linksOf(root, dir);
    } catch (e) {
      if (!(e instanceof MissingPart || e instanceof HostReadError)) throw e;
      if (!dir.exists()) continue; // exited during the walk
      const why = reason((e as Error).message);
      unreadable.set(why, (unreadable.get(why) ?? 0) + 1);
      continue;
    }
    const command = commandOf(dir);
    const ids = containerIdsOf(dir);
    for (const [type, inode] of links) {
      const s = entry(type, inode);
      s.pids.push(dir.pid);
      s.commands.set(dir.pid, command);
      for (const id of ids) s.containerIds.add(id);
    }
  }
  for (const [why, n] of unreadable) notes.push(`${n} process${n === 1 ? '' : 'es'} not read (${why})${why === 'permission denied' ? ': run as root to see every namespace' : ''}`);

  for (const { name, inode } of namedNetns(root, notes)) entry('net', inode).netns.push(name);

  const namespaces: NamespaceEntry[] = [];
  for (const [key, s] of seen) {
    const [type, inode] = [key.slice(0, key.indexOf(':')) as NamespaceType, Number(key.slice(key.indexOf(':') + 1))];
    const pids = [...s.pids].sort((a, b) => a - b);
    const ref = host.get(type);
    namespaces.push({
      type,
      inode,
      host: ref === undefined ? null : ref === inode,
      pids,
      command: pids.length ? s.commands.get(pids[0]!)! : '',
      containerIds: [...s.containerIds].sort(),
      netns: s.netns.sort(),
    });
  }
  namespaces.sort((a, b) => (a.type === b.type ? a.inode - b.inode : a.type < b.type ? -1 : 1));
  return { namespaces, notes, unreadable: [...unreadable.values()].reduce((a, b) => a + b, 0) };
}

/** A process's namespaces by type; a type the kernel lacks (time before 5.6) has no link and is left out. */
function linksOf(root: HostRoot, dir: ProcessDir): [NamespaceType, number][] {
  const out: [NamespaceType, number][] = [];
  for (const type of NAMESPACE_TYPES) {
    if (root.linkTarget(`${dir.path}/ns/${type}`) === undefined) {
      if (!dir.exists()) throw new MissingPart(`process ${dir.pid} exited`);
      continue;
    }
    out.push([type, namespaceInode(dir, type)]);
  }
  return out;
}

/** The one-line cause of a read error, without the path: counts group by it. */
function reason(message: string): string {
  return /permission denied/.test(message) ? 'permission denied' : message.replace(/^\/proc\/\d+\/\S*:\s*/, '');
}

function commandOf(dir: ProcessDir): string {
  try {
    const cmdline = dir.text('cmdline').replace(/\0+$/, '');
    if (cmdline) return cmdline.split('\0').join(' ');
    // Kernel threads and zombies have an empty cmdline; comm still names them (lsns shows the same).
    return `[${dir.text('comm').trim()}]`;
  } catch (e) {
    if (e instanceof MissingPart) return '';
    throw e;
  }
}

function containerIdsOf(dir: ProcessDir): string[] {
  try {
    return [...new Set([...dir.text('cgroup').matchAll(/[0-9a-f]{64}/g)].map((m) => m[0]))];
  } catch (e) {
    if (e instanceof MissingPart) return [];
    throw e;
  }
}

/**
 * The named network namespaces: `ip netns add` bind-mounts an nsfs file at
 * /run/netns/NAME, whose inode is the namespace's. A file there that is not
 * on nsfs (a stale name whose mount is gone) is noted, not listed.
 */
function namedNetns(root: HostRoot, notes: string[]): { name: string; inode: number }[] {
  const out: { name: string; inode: number }[] = [];
  let names: string[];
  try {
    names = root.list('/run/netns') ?? [];
  } catch (e) {
    notes.push(`/run/netns not read: ${(e as Error).message}`);
    return out;
  }
  const nsfs = nsfsDevice(root);
  for (const name of names.sort()) {
    try {
      const st = root.stat(`/run/netns/${name}`);
      if (!st) continue; // removed meanwhile
      if (nsfs !== undefined && st.dev !== nsfs) {
        notes.push(`/run/netns/${name} is not a mounted network namespace (stale name): not listed`);
        continue;
      }
      out.push({ name, inode: st.ino });
    } catch (e) {
      notes.push(`/run/netns/${name} not read: ${(e as Error).message}`);
    }
  }
  return out;
}

/** The device number of nsfs: stat of our own ns/net magic link (the kernel follows it, under --root too, since /proc is the host's). */
function nsfsDevice(root: HostRoot): number | undefined {
  try {
    return statSync(posix.join(root.root, '/proc/self/ns/net')).dev;
  } catch {
    return undefined;
  }
}

/** Which of the host's namespaces each container is in, by container id: `--net=host` gives net, `--pid=host` pid. */
export function hostSharing(namespaces: readonly NamespaceEntry[]): Map<string, NamespaceType[]> {
  const out = new Map<string, NamespaceType[]>();
  for (const type of NAMESPACE_TYPES) {
    for (const ns of namespaces) {
      if (ns.type !== type || ns.host !== true) continue;
      for (const id of ns.containerIds) out.set(id, [...(out.get(id) ?? []), type]);
    }
  }
  return out;
}
