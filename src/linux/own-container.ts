import { readFileSync } from 'node:fs';
import { parseMountInfo } from './mountinfo.js';

/**
 * The Docker container bulkhead itself runs in, when it runs in one: the
 * engine bind-mounts its own `<data-root>/containers/<id>/hostname`, `hosts`
 * and `resolv.conf` into every container it starts, and mountinfo names
 * their source. (The hostname is not used: `--hostname` or `--uts host`
 * change it.) Undefined on a host, or when mountinfo cannot be read.
 */
export function ownContainerId(mountInfoFile = '/proc/self/mountinfo'): string | undefined {
  let text: string;
  try {
    text = readFileSync(mountInfoFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const m of parseMountInfo(text)) {
    if (m.mountPoint !== '/etc/hostname' && m.mountPoint !== '/etc/hosts' && m.mountPoint !== '/etc/resolv.conf') continue;
    const id = CONTAINER_FILE.exec(m.root)?.[1];
    if (id) return id;
  }
  return undefined;
}

const CONTAINER_FILE = /\/containers\/([0-9a-f]{64})\/(?:hostname|hosts|resolv\.conf)$/;
