/** Path and mount facts for the host rules (CIS 1.x). */
import type { Mount } from '../../model/host.js';

/** True when `path` is `dir` or below it, compared by whole components (/var/lib/docker2 is not below /var/lib/docker). */
export function isAtOrBelow(path: string, dir: string): boolean {
  return path === dir || dir === '/' || path.startsWith(`${dir}/`);
}

/**
 * The mount that holds a path: the one with the longest mount point at or
 * above it; of several at the same point, the last (it is mounted on top).
 */
export function mountOf(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    if (!isAtOrBelow(path, m.mountPoint)) continue;
    if (!best || m.mountPoint.length >= best.mountPoint.length) best = m;
  }
  return best;
}

/** The parent folder of an absolute path ('/' for '/'). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
