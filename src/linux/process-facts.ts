import { decodeCapMask, DOCKER_DEFAULT_CAPS } from './capabilities.js';
import { parseCgroupFile, readCgroupLimits, type CgroupLimits, type CgroupMembership } from './cgroups.js';
import type { HostRoot } from './host-root.js';
import { readLsmLabels } from './lsm-labels.js';
import { parseMountInfo } from './mountinfo.js';
import { INITIAL_INODES, NAMESPACE_TYPES, namespaceInode, parseIdMap, type IdMapping, type NamespaceType } from './namespaces.js';
import { readNetwork, type NetworkView } from './network.js';
import { notableMounts, type NotableMount } from './notable-mounts.js';
import { MissingPart, part, ProcessDir } from './proc-dir.js';
import { CAP_SETS, parseStatus, type CapSet, type SeccompMode } from './process-status.js';

export interface NamespaceFact {
  readonly inode: number;
  /** null: the host's namespace of this type could not be read, so no comparison. */
  readonly sharedWithHost: boolean | null;
}
export interface UserNamespaceFact extends NamespaceFact {
  readonly uidMap: readonly IdMapping[] | null;
  readonly gidMap: readonly IdMapping[] | null;
}

export type Capabilities = Readonly<Record<CapSet, readonly string[]>> & {
  /** Held in any set (effective, permitted, bounding, ambient) but not in Docker's default set. */
  readonly beyondDockerDefault: readonly string[];
};

export interface CgroupFacts extends CgroupMembership {
  readonly limits: CgroupLimits;
}

/** Everything `bulkhead inspect` tells about one process; null where a part could not be read (see notes). */
export interface ProcessFacts {
  readonly pid: number;
  readonly namespaces: { readonly [T in NamespaceType]: (T extends 'user' ? UserNamespaceFact : NamespaceFact) | null };
  readonly capabilities: Capabilities | null;
  readonly noNewPrivs: boolean | null;
  readonly seccomp: SeccompMode | null;
  readonly apparmor: string | null;
  readonly selinux: string | null;
  readonly cgroups: CgroupFacts | null;
  readonly network: NetworkView | null;
  /** Mounts that weaken isolation; empty in the host's mount namespace (which sees every host file anyway). */
  readonly mounts: readonly NotableMount[] | null;
  readonly notes: readonly string[];
}

export interface FactOptions {
  /** The process whose namespaces are the host's: default PID 1 (PID 2, kthreadd, when PID 1's are not readable). */
  readonly hostPid?: number;
}

/** No such process at the start (a PID that never was, or already gone). */
export class NoSuchProcess extends Error {}

/**
 * Reads a process's isolation facts from /proc (through `root`). A part that
 * cannot be read (the process exits mid-read, an entry is unreadable) is
 * null with a note; only a process that is not there at all throws.
 */
export function readProcessFacts(root: HostRoot, pid: number, options: FactOptions = {}): ProcessFacts {
  const dir = new ProcessDir(root, pid);
  if (!dir.exists()) throw new NoSuchProcess(`no process ${pid}${root.root === '/' ? '' : ` under ${root.root}/proc`}`);
  const notes: string[] = [];
  const host = hostNamespaces(root, options.hostPid, notes);

  const namespaces = {} as Record<NamespaceType, NamespaceFact | UserNamespaceFact | null>;
  for (const type of NAMESPACE_TYPES) {
    namespaces[type] = part(`${type} namespace`, notes, () => {
      const inode = namespaceInode(dir, type);
      const hostInode = host.get(type);
      return { inode, sharedWithHost: hostInode === undefined ? null : inode === hostInode };
    });
  }
  const user = namespaces.user;
  if (user) {
    namespaces.user = {
      ...user,
      uidMap: part('uid_map', notes, () => parseIdMap(dir.text('uid_map'))),
      gidMap: part('gid_map', notes, () => parseIdMap(dir.text('gid_map'))),
    };
  }

  const status = part('status (capabilities, NoNewPrivs, seccomp)', notes, () => parseStatus(dir.text('status'), `${dir.path}/status`));
  const capabilities = status ? capabilitiesOf(status.masks) : null;
  const lsm = part('AppArmor/SELinux labels', notes, () => readLsmLabels(dir));
  const hostMounts = part('the host\'s cgroup mounts', notes, () => parseMountInfo(new ProcessDir(root, options.hostPid ?? 1).text('mountinfo')));
  const cgroups = part('cgroups', notes, () => {
    const member = parseCgroupFile(dir.text('cgroup'));
    return { ...member, limits: readCgroupLimits(root, member, hostMounts ?? [], notes) };
  });
  const network = part('network', notes, () => readNetwork(dir));
  const mounts = part('mounts', notes, () => (namespaces.mnt?.sharedWithHost ? [] : notableMounts(parseMountInfo(dir.text('mountinfo')))));
  if (!dir.exists()) notes.push(`process ${pid} exited while it was read: what was read before is shown`);
  return {
    pid,
    namespaces: namespaces as ProcessFacts['namespaces'],
    capabilities,
    noNewPrivs: status?.noNewPrivs ?? null,
    seccomp: status?.seccomp ?? null,
    apparmor: lsm?.apparmor ?? null,
    selinux: lsm?.selinux ?? null,
    cgroups,
    network,
    mounts,
    notes: [...new Set(notes)],
  };
}

export function capabilitiesOf(masks: Readonly<Record<CapSet, string>>): Capabilities {
  const sets = Object.fromEntries(CAP_SETS.map((s) => [s, decodeCapMask(masks[s])])) as Record<CapSet, string[]>;
  const held = new Set([...sets.effective, ...sets.permitted, ...sets.bounding, ...sets.ambient]);
  const beyondDockerDefault = [...held].filter((c) => !DOCKER_DEFAULT_CAPS.has(c.toUpperCase()));
  return { ...sets, beyondDockerDefault };
}

/**
 * The host's namespace inodes by type. Without --host-pid: PID 1's, or, where
 * PID 1's links are not readable (a PID 1 with more capabilities than we
 * have), PID 2's: kthreadd always lives in the initial namespaces. When that
 * reference is itself in a container's PID namespace (bulkhead inside a
 * container, `--self`), the kernel's fixed inodes of the initial namespaces
 * are used, and net and mnt (which have none) are not compared.
 */
export function hostNamespaces(root: HostRoot, hostPid: number | undefined, notes: string[]): Map<NamespaceType, number> {
  const candidates = (hostPid !== undefined ? [hostPid] : [1, 2]).map((p) => new ProcessDir(root, p));
  const out = new Map<NamespaceType, number>();
  for (const type of NAMESPACE_TYPES) {
    for (const dir of candidates) {
      try {
        out.set(type, namespaceInode(dir, type));
        break;
      } catch (e) {
        if (!(e instanceof MissingPart)) throw e;
      }
    }
    if (!out.has(type)) notes.push(`the host's ${type} namespace could not be read (${candidates.map((d) => d.path).join(', ')}): not compared`);
  }
  if (hostPid === undefined && out.has('pid') && out.get('pid') !== INITIAL_INODES.pid) {
    notes.push('PID 1 is not the host\'s (bulkhead runs in a container\'s PID namespace): namespaces are compared with the kernel\'s initial ones; net and mnt cannot be (use --host-pid or run on the host)');
    out.clear();
    for (const [type, inode] of Object.entries(INITIAL_INODES)) out.set(type as NamespaceType, inode);
  }
  return out;
}
