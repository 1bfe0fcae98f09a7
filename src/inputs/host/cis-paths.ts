import { readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import type { CisPath } from '../../model/host.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';

/**
 * Where a CIS 1.1.x object is looked for: a fixed path, a program in the
 * binary folders, a systemd unit, or the Docker root dir.
 */
export type Where =
  | { readonly path: string }
  | { readonly program: string }
  | { readonly unit: string }
  | { readonly dockerRoot: true };

/** CIS Docker Benchmark v1.6.0, 1.1.3–1.1.18: what to audit. */
export const CIS_AUDIT_ITEMS: readonly { readonly item: string; readonly what: string; readonly where: Where }[] = [
  { item: '1.1.3', what: 'the Docker daemon', where: { program: 'dockerd' } },
  { item: '1.1.4', what: "containerd's run folder", where: { path: '/run/containerd' } },
  { item: '1.1.5', what: 'the Docker root dir', where: { dockerRoot: true } },
  { item: '1.1.6', what: "Docker's configuration folder", where: { path: '/etc/docker' } },
  { item: '1.1.7', what: 'the docker.service unit', where: { unit: 'docker.service' } },
  { item: '1.1.8', what: "containerd's socket", where: { path: '/run/containerd/containerd.sock' } },
  { item: '1.1.9', what: 'the docker.socket unit', where: { unit: 'docker.socket' } },
  { item: '1.1.10', what: "the daemon's environment file (Debian)", where: { path: '/etc/default/docker' } },
  { item: '1.1.11', what: "the daemon's configuration file", where: { path: '/etc/docker/daemon.json' } },
  { item: '1.1.12', what: "containerd's configuration file", where: { path: '/etc/containerd/config.toml' } },
  { item: '1.1.13', what: "the daemon's environment file (Red Hat)", where: { path: '/etc/sysconfig/docker' } },
  { item: '1.1.14', what: 'containerd', where: { program: 'containerd' } },
  { item: '1.1.15', what: 'containerd-shim', where: { program: 'containerd-shim' } },
  { item: '1.1.16', what: 'containerd-shim-runc-v1', where: { program: 'containerd-shim-runc-v1' } },
  { item: '1.1.17', what: 'containerd-shim-runc-v2', where: { program: 'containerd-shim-runc-v2' } },
  { item: '1.1.18', what: 'runc', where: { program: 'runc' } },
];

/**
 * The benchmark names /usr/bin for the programs, but distributions put them
 * elsewhere: Debian's docker.io installs /usr/sbin/dockerd and
 * /usr/sbin/runc, hand installs use /usr/local/bin. Every copy found is a
 * program that may run, so each is audited.
 */
const PROGRAM_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

/** systemd's unit folders for the system manager, highest precedence first (systemd.unit(5)); /lib for hosts without merged /usr. */
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/**
 * The CIS 1.1.3–1.1.18 objects that exist on this host, each at its real
 * path (symlinks resolved: a watch must be on the file that holds the bytes,
 * not on a link to it), each real path once. A path that cannot be looked
 * up (a folder we may not search) is unknown: noted, not a finding, and the
 * others are still checked.
 */
export function cisPathsOn(root: HostRoot, dockerRoot: string, note: (message: string) => void): CisPath[] {
  const out: CisPath[] = [];
  const seen = new Set<string>();
  const add = (item: string, what: string, path: string | undefined) => {
    if (path === undefined) return;
    const realPath = root.realPath(path);
    if (realPath === undefined || realPath === '/dev/null' || seen.has(realPath)) return;
    seen.add(realPath);
    out.push({ item, what, path, realPath });
  };
  const guarded = (item: string, look: () => void) => {
    try {
      look();
    } catch (e) {
      if (!(e instanceof HostReadError)) throw e;
      note(`host section: could not read ${e.message}; whether it is audited (CIS ${item}) was not checked`);
    }
  };
  for (const { item, what, where } of CIS_AUDIT_ITEMS) {
    if ('program' in where) for (const dir of PROGRAM_DIRS) guarded(item, () => add(item, what, posix.join(dir, where.program)));
    else guarded(item, () => add(item, what, 'path' in where ? where.path : 'unit' in where ? unitFile(root, where.unit) : dockerRoot));
  }
  return out;
}

/**
 * The unit file systemd loads: the first found in precedence order. A unit
 * linked to /dev/null is masked: systemd will not start it, nothing to audit.
 */
function unitFile(root: HostRoot, name: string): string | undefined {
  for (const dir of UNIT_DIRS) {
    const path = posix.join(dir, name);
    if (linksTo(root, path) === '/dev/null') return undefined; // checked first: a --root tree may have no /dev
    if (root.realPath(path) !== undefined) return path;
  }
  return undefined;
}

/** The target a symlink holds, as written; undefined for anything else. */
function linksTo(root: HostRoot, path: string): string | undefined {
  const dir = root.resolve(posix.dirname(path));
  if (dir === undefined) return undefined;
  try {
    return readlinkSync(posix.join(dir, posix.basename(path)));
  } catch {
    return undefined; // not a link, or not there
  }
}
