import type { MountInfo } from './mountinfo.js';

export const MOUNT_CONCERNS = ['engine-socket', 'host-path', 'writable-proc-sys', 'writable-sys', 'shared-propagation'] as const;
export type MountConcern = (typeof MOUNT_CONCERNS)[number];

export interface NotableMount {
  readonly mountPoint: string;
  /** What is seen there: the path inside the mounted filesystem (for a bind mount, the host folder or file). */
  readonly source: string;
  readonly fsType: string;
  readonly writable: boolean;
  readonly propagation: 'shared' | 'slave' | 'private';
  readonly concerns: readonly MountConcern[];
}

const ENGINE_SOCKET = /(?:^|\/)(?:docker|containerd|podman|crio|cri-dockerd|buildkitd)\.sock$/;
/** Kernel filesystems a container runtime mounts for every container: not a host path. */
const PSEUDO = new Set(['proc', 'sysfs', 'devpts', 'mqueue', 'cgroup', 'cgroup2', 'overlay', 'shm', 'securityfs', 'debugfs', 'tracefs', 'bpf', 'nsfs', 'fusectl', 'configfs', 'pstore', 'hugetlbfs']);
/** Files and volumes the engine itself binds into each container. */
const ENGINE_MANAGED = /\/(?:containers\/[0-9a-f]{64}\/(?:hosts|hostname|resolv\.conf)|volumes\/[^/]+\/_data)$/;

/**
 * The mounts of a process in its own mount namespace that weaken isolation:
 * the engine's socket, host folders and files bound in, /proc/sys or /sys
 * writable, mounts that share propagation with the host. (A process in the
 * host's mount namespace sees every host file: the caller says so instead.)
 */
export function notableMounts(mounts: readonly MountInfo[]): NotableMount[] {
  const out: NotableMount[] = [];
  const procSys = mounts.some((m) => m.mountPoint === '/proc/sys');
  // Filesystems mounted whole inside (the container's /dev tmpfs): a bind from one of them (Docker's /dev/null over /proc/keys) is not a host path.
  const ownWhole = new Set(mounts.filter((m) => m.fsType === 'tmpfs' && m.root === '/' && m.mountPoint !== '/').map((m) => m.device));
  for (const m of mounts) {
    const writable = m.options.includes('rw');
    const concerns: MountConcern[] = [];
    if (ENGINE_SOCKET.test(m.mountPoint) || ENGINE_SOCKET.test(m.root)) concerns.push('engine-socket');
    else if (m.mountPoint !== '/' && !(m.root !== '/' && ownWhole.has(m.device)) && isHostPath(m)) concerns.push('host-path');
    if (writable && (m.mountPoint === '/proc/sys' || (m.mountPoint === '/proc' && m.fsType === 'proc' && !procSys))) concerns.push('writable-proc-sys');
    if (writable && m.mountPoint === '/sys') concerns.push('writable-sys');
    const propagation = m.propagation.some((p) => p.startsWith('shared:')) ? 'shared' : m.propagation.some((p) => p.startsWith('master:')) ? 'slave' : 'private';
    if (propagation === 'shared') concerns.push('shared-propagation');
    if (concerns.length) out.push({ mountPoint: m.mountPoint, source: m.root, fsType: m.fsType, writable, propagation, concerns });
  }
  return out;
}

function isHostPath(m: MountInfo): boolean {
  if (PSEUDO.has(m.fsType) || ENGINE_MANAGED.test(m.root)) return false;
  // A tmpfs of the container's own (/dev, /dev/shm, --tmpfs) is mounted at its root; a bind from a host tmpfs (/run/...) is not.
  if (m.fsType === 'tmpfs') return m.root !== '/';
  return true; // a disk filesystem, devtmpfs (the host's /dev), a host tmpfs folder
}
