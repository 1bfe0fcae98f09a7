import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import type { DockerdProcess } from '../../model/host.js';

/** A dockerd found in the host's /proc, with what decides its defaults. */
export interface DockerdFound extends DockerdProcess {
  /** HOME, XDG_CONFIG_HOME and XDG_RUNTIME_DIR of a non-root dockerd (rootless: they place its socket and daemon.json). */
  readonly env?: ReadonlyMap<string, string>;
}

/** The environment variables that move a rootless dockerd's default socket and daemon.json. */
const ROOTLESS_ENV = new Set(['HOME', 'XDG_CONFIG_HOME', 'XDG_RUNTIME_DIR']);

/**
 * Every dockerd process in the host's /proc (its `comm` is dockerd), with its
 * argv from /proc/PID/cmdline (NUL-separated). A process that ends while it
 * is being read, or whose files cannot be read, is a note, never an error.
 */
export function findDockerds(root: HostRoot): { found: DockerdFound[]; notes: string[] } {
  const notes: string[] = [];
  let entries: string[] | undefined;
  try {
    entries = root.list('/proc');
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    return { found: [], notes: [`cannot list /proc (${e.message}): no dockerd process could be looked for`] };
  }
  if (entries === undefined) return { found: [], notes: ['the host has no /proc: no dockerd process could be looked for'] };

  const found: DockerdFound[] = [];
  for (const entry of entries) {
    if (!/^[1-9][0-9]*$/.test(entry)) continue;
    const pid = Number(entry);
    if (read(root, `/proc/${pid}/comm`)?.trim() !== 'dockerd') continue;
    const cmdline = read(root, `/proc/${pid}/cmdline`);
    if (cmdline === undefined || cmdline === '') {
      notes.push(`dockerd process ${pid} ended (or became a zombie) while it was being read; skipped`);
      continue;
    }
    const argv = cmdline.replace(/\0$/, '').split('\0');
    const uid = effectiveUid(read(root, `/proc/${pid}/status`));
    const env = uid !== undefined && uid !== 0 ? rootlessEnv(read(root, `/proc/${pid}/environ`)) : undefined;
    found.push({ pid, argv, ...(uid !== undefined ? { uid } : {}), ...(env ? { env } : {}) });
  }
  return { found, notes };
}

/** A file's text, or undefined when it is gone or unreadable (a process may end at any moment: ESRCH comes as a HostReadError). */
function read(root: HostRoot, path: string): string | undefined {
  try {
    return root.readText(path);
  } catch (e) {
    if (e instanceof HostReadError) return undefined;
    throw e;
  }
}

/** The effective uid: the second number of the `Uid:` line of /proc/PID/status. */
function effectiveUid(status: string | undefined): number | undefined {
  const m = status ? /^Uid:\s+\d+\s+(\d+)/m.exec(status) : null;
  return m ? Number(m[1]) : undefined;
}

function rootlessEnv(environ: string | undefined): ReadonlyMap<string, string> | undefined {
  if (environ === undefined) return undefined;
  const env = new Map<string, string>();
  for (const entry of environ.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && ROOTLESS_ENV.has(entry.slice(0, eq))) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}
