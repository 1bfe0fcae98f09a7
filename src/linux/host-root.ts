import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { posix } from 'node:path';

/** A host file that exists but could not be read (permissions, an I/O error): the audit notes it and goes on. */
export class HostReadError extends Error {}

/** More symlinks than this on one path is a loop (as the kernel's ELOOP). */
const MAX_LINKS = 40;

/**
 * The audited host's files, seen from where bulkhead runs: `/` itself, or a
 * folder where the host's root is mounted (`--root /host`). Every path given
 * is a path ON THE HOST; symlinks are followed inside the root, so an
 * absolute link such as /etc/mtab -> /proc/self/mounts stays in the host's
 * tree instead of escaping to the container's own files.
 *
 * Reads return undefined for a path that does not exist and throw
 * HostReadError for one that cannot be read; nothing here writes.
 */
export class HostRoot {
  readonly root: string;

  constructor(root = '/') {
    this.root = posix.resolve(root);
  }

  /** Where a host path is from here, symlinks resolved inside the root; undefined when some part of it does not exist. */
  resolve(hostPath: string): string | undefined {
    if (this.root === '/') return posix.resolve('/', hostPath);
    const parts = posix.resolve('/', hostPath).split('/').filter(Boolean);
    let done = '/'; // resolved so far, as a host path
    let links = 0;
    while (parts.length > 0) {
      const part = parts.shift()!;
      if (part === '..') {
        done = posix.dirname(done);
        continue;
      }
      const next = posix.join(done, part);
      let st: Stats;
      try {
        st = lstatSync(this.local(next));
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw readError(hostPath, e);
      }
      if (!st.isSymbolicLink()) {
        done = next;
        continue;
      }
      if (++links > MAX_LINKS) throw new HostReadError(`${hostPath}: too many levels of symbolic links`);
      const target = readlinkSync(this.local(next));
      // An absolute target starts again at the host's root; a relative one from the link's folder.
      if (target.startsWith('/')) done = '/';
      parts.unshift(...target.split('/').filter(Boolean));
    }
    return this.local(done);
  }

  /** The host path with every symlink resolved on the host (where the object really is); undefined when it does not exist. */
  realPath(hostPath: string): string | undefined {
    if (this.root !== '/') {
      const local = this.resolve(hostPath);
      return local === undefined ? undefined : local === this.root ? '/' : local.slice(this.root.length);
    }
    try {
      return realpathSync.native(posix.resolve('/', hostPath));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw readError(hostPath, e);
    }
  }

  /** The file's text, or undefined when it does not exist. */
  readText(hostPath: string): string | undefined {
    const local = this.resolve(hostPath);
    if (local === undefined) return undefined;
    try {
      return readFileSync(local, 'utf8');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw readError(hostPath, e);
    }
  }

  /** stat (symlinks followed inside the root), or undefined when the path does not exist. */
  stat(hostPath: string): Stats | undefined {
    const local = this.resolve(hostPath);
    if (local === undefined) return undefined;
    try {
      return statSync(local);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw readError(hostPath, e);
    }
  }

  /** The names in a folder, or undefined when it does not exist. */
  list(hostPath: string): string[] | undefined {
    const local = this.resolve(hostPath);
    if (local === undefined) return undefined;
    try {
      return readdirSync(local);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw readError(hostPath, e);
    }
  }

  /**
   * What a symlink points at, as written (not resolved), or undefined when
   * the path is not a symlink or does not exist: systemd's masking is a
   * link to /dev/null, which under --root may have nothing behind it.
   */
  linkTarget(hostPath: string): string | undefined {
    const dir = this.resolve(posix.dirname(posix.resolve('/', hostPath)));
    if (dir === undefined) return undefined;
    try {
      return readlinkSync(posix.join(dir, posix.basename(hostPath)));
    } catch (e) {
      if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'EINVAL') return undefined; // EINVAL: not a symlink
      throw readError(hostPath, e);
    }
  }

  /** The path from here of a host path, without resolving anything. */
  private local(hostPath: string): string {
    return this.root === '/' ? hostPath : posix.join(this.root, hostPath);
  }
}

function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function readError(hostPath: string, e: unknown): HostReadError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? (e as Error).message);
  return new HostReadError(`${hostPath}: ${why}`);
}
