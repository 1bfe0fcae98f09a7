import { posix } from 'node:path';
import { HostReadError, type HostRoot } from './host-root.js';
import type { MountInfo } from './mountinfo.js';

/** Where a process sits in each cgroup hierarchy, from /proc/PID/cgroup. */
export interface CgroupMembership {
  /** v1 lines `N:cpu,cpuacct:/path` (named hierarchies as `name=systemd`). */
  readonly v1: readonly { readonly controllers: readonly string[]; readonly path: string }[];
  /** The v2 line `0::/path`, or null on a host with no v2 hierarchy. */
  readonly v2: string | null;
}

export function parseCgroupFile(text: string): CgroupMembership {
  const v1: { controllers: string[]; path: string }[] = [];
  let v2: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') v2 = m[3]!;
    else v1.push({ controllers: m[2]!.split(','), path: m[3]! });
  }
  return { v1, v2 };
}

/** "max": the kernel's word for no limit. null: this host cannot say (controller not mounted, file unreadable). */
export type Limit = number | 'max' | null;

/** The limits that apply to the process, read from the cgroup files. */
export interface CgroupLimits {
  /** cpuset: the CPUs and memory nodes the process may use (`0-1`), the effective lists. */
  readonly cpus: string | null;
  readonly mems: string | null;
  /** The tightest memory limit of its cgroup and every parent, in bytes. */
  readonly memoryBytes: Limit;
  /** The tightest pids.max of its cgroup and every parent. */
  readonly pidsMax: Limit;
  /** v1 cpu.shares (default 1024). */
  readonly cpuShares: number | null;
  /** v2 cpu.weight (default 100). */
  readonly cpuWeight: number | null;
  /** CFS bandwidth: quota per period in microseconds (v1 cfs_quota_us/cfs_period_us, v2 cpu.max). */
  readonly cpuQuota: { readonly quotaUs: number; readonly periodUs: number } | 'max' | null;
}

/** v1 memory.limit_in_bytes writes "no limit" as a page-rounded LONG_MAX; anything this large is no limit. */
const V1_UNLIMITED = 2 ** 62;

/**
 * Reads the limits from the hierarchies mounted on the host (found in its
 * mountinfo, so a cgroup v1, v2 or hybrid host and custom mount points all
 * work). v1 is read where its controller is mounted, else v2.
 */
export function readCgroupLimits(root: HostRoot, member: CgroupMembership, hostMounts: readonly MountInfo[], notes: string[]): CgroupLimits {
  const read = (dir: string | undefined, file: string): string | undefined => {
    if (dir === undefined) return undefined;
    try {
      return root.readText(posix.join(dir, file))?.trim();
    } catch (e) {
      if (!(e instanceof HostReadError)) throw e;
      notes.push(`cgroup limit not read: ${e.message}`);
      return undefined;
    }
  };
  const v1 = (controller: string) => {
    const entry = member.v1.find((e) => e.controllers.includes(controller));
    const mount = hostMounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller));
    return entry && mount ? seen(inMount(mount, entry.path)) : undefined;
  };
  // A cgroup folder not there (a path from another cgroup namespace, a cgroup removed mid-read) gives no limits rather than "no limit".
  const seen = (dir: string) => {
    try {
      return root.stat(dir)?.isDirectory() ? dir : undefined;
    } catch {
      return undefined;
    }
  };
  const v2mount = hostMounts.find((m) => m.fsType === 'cgroup2');
  const v2dir = member.v2 !== null && v2mount ? seen(inMount(v2mount, member.v2)) : undefined;
  const v2 = v2dir ? { dir: v2dir, top: v2mount!.mountPoint } : undefined;

  const cpusetDir = v1('cpuset');
  const cpus = cpusetDir ? (read(cpusetDir, 'cpuset.effective_cpus') ?? read(cpusetDir, 'cpuset.cpus')) : read(v2?.dir, 'cpuset.cpus.effective');
  const mems = cpusetDir ? (read(cpusetDir, 'cpuset.effective_mems') ?? read(cpusetDir, 'cpuset.mems')) : read(v2?.dir, 'cpuset.mems.effective');

  const memoryDir = v1('memory');
  const memoryBytes = memoryDir
    ? tightest(memoryDir, mountOf(hostMounts, 'memory'), (d) => v1Bytes(read(d, 'memory.limit_in_bytes')))
    : v2 ? tightest(v2.dir, v2.top, (d) => limitOf(read(d, 'memory.max'))) : null;
  const pidsDir = v1('pids');
  const pidsMax = pidsDir
    ? tightest(pidsDir, mountOf(hostMounts, 'pids'), (d) => limitOf(read(d, 'pids.max')))
    : v2 ? tightest(v2.dir, v2.top, (d) => limitOf(read(d, 'pids.max'))) : null;

  const cpuDir = v1('cpu');
  let cpuShares: number | null = null;
  let cpuWeight: number | null = null;
  let cpuQuota: CgroupLimits['cpuQuota'] = null;
  if (cpuDir) {
    cpuShares = intOf(read(cpuDir, 'cpu.shares'));
    const quota = intOf(read(cpuDir, 'cpu.cfs_quota_us'));
    const period = intOf(read(cpuDir, 'cpu.cfs_period_us'));
    cpuQuota = quota === null || period === null ? null : quota < 0 ? 'max' : { quotaUs: quota, periodUs: period };
  } else if (v2) {
    cpuWeight = intOf(read(v2.dir, 'cpu.weight'));
    const max = read(v2.dir, 'cpu.max')?.split(' ');
    if (max?.length === 2) cpuQuota = max[0] === 'max' ? 'max' : intOf(max[0]) !== null && intOf(max[1]) !== null ? { quotaUs: intOf(max[0])!, periodUs: intOf(max[1])! } : null;
  }
  return { cpus: cpus ?? null, mems: mems ?? null, memoryBytes, pidsMax, cpuShares, cpuWeight, cpuQuota };
}

/** The host folder of a cgroup path in a mounted hierarchy (a mount of a sub-tree has a root other than /). */
function inMount(mount: MountInfo, path: string): string {
  const rel = mount.root !== '/' && (path === mount.root || path.startsWith(`${mount.root}/`)) ? path.slice(mount.root.length) : path;
  return posix.join(mount.mountPoint, rel);
}

function mountOf(mounts: readonly MountInfo[], controller: string): string {
  return mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller))!.mountPoint;
}

/**
 * A parent's limit applies to its children: the smallest from the cgroup up
 * to the hierarchy's top. No file at any level is no limit (the root cgroup
 * has none; v2 has none where the controller is not enabled).
 */
function tightest(dir: string, top: string, limitAt: (dir: string) => Limit): Limit {
  let best: Limit = 'max';
  for (let d = dir; ; d = posix.dirname(d)) {
    const l = limitAt(d);
    if (typeof l === 'number') best = best === 'max' ? l : Math.min(best, l);
    if (d === top || d === '/' || !d.startsWith(top)) break;
  }
  return best;
}

function limitOf(text: string | undefined): Limit {
  if (text === 'max') return 'max';
  return intOf(text);
}

function v1Bytes(text: string | undefined): Limit {
  const n = intOf(text);
  return n !== null && n >= V1_UNLIMITED ? 'max' : n;
}

function intOf(text: string | undefined): number | null {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : null;
}
