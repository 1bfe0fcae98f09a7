import { posix } from 'node:path';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';

/**
 * Where the kernel places an audit watch on a path: auditctl and the kernel
 * look up the path's folder (its symlinks followed) and watch the last name
 * in it, a symlink itself if it is one. /bin/runc on a merged-/usr host is
 * /usr/bin/runc; a watch on /usr/bin/runc -> /usr/sbin/runc watches the link.
 */
export function watchedPath(root: HostRoot, hostPath: string): string {
  const path = posix.resolve('/', hostPath);
  if (path === '/') return path;
  let dir: string | undefined;
  try {
    dir = root.realPath(posix.dirname(path));
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e; // unreadable: take the folder as written
  }
  return posix.join(dir ?? posix.dirname(path), posix.basename(path));
}
