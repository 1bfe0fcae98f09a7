import { readdirSync, readFileSync } from 'node:fs';
import type { Process } from '../model/container.js';

/**
 * The processes of each container, read from this machine's /proc in one pass:
 * a process belongs to the container whose 64-hex id appears in its cgroup
 * path (cgroupfs `/docker/<id>`, systemd `docker-<id>.scope`, custom parents).
 * No `docker exec`, no `ps` per container. Processes that vanish mid-scan are skipped.
 */
export function processesByContainer(ids: readonly string[], proc = '/proc'): Map<string, Process[]> {
  const wanted = new Set(ids);
  const found = new Map<string, Process[]>();
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const cgroup = readOrUndefined(`${proc}/${entry}/cgroup`);
    if (!cgroup) continue;
    const id = containerIdIn(cgroup, wanted);
    if (!id) continue;
    const command = commandOf(`${proc}/${entry}`);
    if (command === undefined) continue;
    const list = found.get(id) ?? [];
    list.push({ pid: Number(entry), command });
    found.set(id, list);
  }
  return found;
}

/** True when /proc shows `pid` inside the container `id`: the engine runs on this machine, in our PID namespace. */
export function isLocalContainerPid(pid: number, id: string, proc = '/proc'): boolean {
  const cgroup = readOrUndefined(`${proc}/${pid}/cgroup`);
  return cgroup !== undefined && cgroup.includes(id);
}

function containerIdIn(cgroup: string, wanted: ReadonlySet<string>): string | undefined {
  for (const m of cgroup.matchAll(/[0-9a-f]{64}/g)) if (wanted.has(m[0])) return m[0];
  return undefined;
}

function commandOf(dir: string): string | undefined {
  const cmdline = readOrUndefined(`${dir}/cmdline`);
  if (cmdline) return cmdline.replace(/\0+$/, '').split('\0').join(' ');
  // Kernel threads and zombies have an empty cmdline; comm still names them.
  return readOrUndefined(`${dir}/comm`)?.trim();
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
