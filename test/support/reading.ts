import { readdirSync, readlinkSync } from 'node:fs';

/**
 * Waits until process `pid` has a file at or under `path` open: by then the
 * CLI's own code runs and its signal handlers are installed. (SigCgt in
 * /proc says nothing: node catches SIGINT from its start, to restore the
 * terminal, and then ends by the signal itself.)
 */
export async function whenReading(pid: number, path: string): Promise<void> {
  for (;;) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      throw new Error(`process ${pid} ended before it read ${path}`);
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target === path || target.startsWith(`${path}/`)) return;
      } catch {
        // closed meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}
