import { MissingPart, type ProcessDir } from './proc-dir.js';
import { quoted } from '../reporters/sanitize.js';

export const NAMESPACE_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
export type NamespaceType = (typeof NAMESPACE_TYPES)[number];

/**
 * The kernel's fixed inodes of the initial namespaces (include/linux/proc_ns.h):
 * a process in one of these shares the host's namespace whatever PID 1 it sees.
 * The initial net and mnt namespaces have no fixed inode.
 */
export const INITIAL_INODES: Readonly<Partial<Record<NamespaceType, number>>> = {
  ipc: 0xefffffff,
  uts: 0xeffffffe,
  user: 0xeffffffd,
  pid: 0xeffffffc,
  cgroup: 0xeffffffb,
  time: 0xeffffffa,
};

/** A namespace's inode from its /proc/PID/ns link (`net:[4026531840]`). */
export function namespaceInode(dir: ProcessDir, type: NamespaceType): number {
  const link = dir.link(`ns/${type}`);
  const m = /^[a-z_]+:\[(\d+)\]$/.exec(link);
  if (!m) throw new MissingPart(`${dir.path}/ns/${type}: unexpected link ${quoted(link)}`);
  return Number(m[1]);
}

/** One line of /proc/PID/uid_map or gid_map: IDs inside..inside+count-1 are outside..outside+count-1 outside. */
export interface IdMapping {
  readonly inside: number;
  readonly outside: number;
  readonly count: number;
}

export function parseIdMap(text: string): IdMapping[] {
  const out: IdMapping[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 3 || !f.every((x) => /^\d+$/.test(x))) continue;
    out.push({ inside: Number(f[0]), outside: Number(f[1]), count: Number(f[2]) });
  }
  return out;
}

/** The identity map `0 0 4294967295`: no user namespace remapping. */
export function isIdentityMap(map: readonly IdMapping[]): boolean {
  return map.length === 1 && map[0]!.inside === 0 && map[0]!.outside === 0 && map[0]!.count === 4294967295;
}
