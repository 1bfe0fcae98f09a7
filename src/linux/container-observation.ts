/**
 * What a running container is seen doing from the host's /proc: the users its
 * processes run as and the ports its network namespace listens on. Read for
 * `caps suggest`, whose evidence it is. A process that exits mid-read is
 * left out with a note; nothing here enters the container.
 */
import type { Observation, ObservedProcess } from '../harden/capabilities.js';
import type { Process } from '../model/container.js';
import type { HostRoot } from './host-root.js';
import { listeningPorts } from './listening-ports.js';
import { MissingPart, ProcessDir } from './proc-dir.js';

export function observeContainer(root: HostRoot, processes: readonly Process[], notes: string[]): Observation {
  const seen: ObservedProcess[] = [];
  for (const p of processes) {
    try {
      const uid = effectiveUid(new ProcessDir(root, p.pid).text('status'));
      if (uid !== undefined) seen.push({ pid: p.pid, command: p.command, uid });
    } catch (e) {
      if (!(e instanceof MissingPart)) throw e;
      notes.push(`process ${p.pid} not read: ${e.message}`);
    }
  }
  // The container's processes share its network namespace: any one of them shows its sockets.
  const ports = new Set<number>();
  const first = seen[0];
  if (first) {
    const dir = new ProcessDir(root, first.pid);
    for (const [file, protocol] of [['net/tcp', 'tcp'], ['net/tcp6', 'tcp'], ['net/udp', 'udp'], ['net/udp6', 'udp']] as const) {
      try {
        for (const port of listeningPorts(dir.text(file), protocol)) ports.add(port);
      } catch (e) {
        if (!(e instanceof MissingPart)) throw e;
        // IPv6 files are missing on a kernel booted without IPv6.
        if (!file.endsWith('6')) notes.push(`listening ports not fully read: ${e.message}`);
      }
    }
  }
  return { ports: [...ports].sort((a, b) => a - b), processes: seen };
}

/** The effective uid from a /proc/PID/status `Uid:` line (real, effective, saved, filesystem). */
export function effectiveUid(status: string): number | undefined {
  const m = /^Uid:\s+\d+\s+(\d+)/m.exec(status);
  return m ? Number(m[1]) : undefined;
}
