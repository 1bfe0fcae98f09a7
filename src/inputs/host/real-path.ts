import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';

/** A host path with every symlink resolved on the host: where the object really is. Undefined when it does not exist. */
export function realHostPath(root: HostRoot, hostPath: string): string | undefined {
  if (root.root !== '/') {
    const local = root.resolve(hostPath);
    return local === undefined ? undefined : local === root.root ? '/' : local.slice(root.root.length);
  }
  try {
    return realpathSync.native(posix.resolve('/', hostPath));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new HostReadError(`${hostPath}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? (e as Error).message)}`);
  }
}

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
    dir = realHostPath(root, posix.dirname(path));
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e; // unreadable: take the folder as written
  }
  return posix.join(dir ?? posix.dirname(path), posix.basename(path));
}
