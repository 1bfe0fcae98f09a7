import { posix } from 'node:path';
import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { engineSocketExposure } from './docker-socket-mounted.js';

/** CIS-5.6's directories plus the others that hold the host's system files or the engine's state (/run and /var/run hold the engine socket: docker-socket-mounted reports them). */
const SENSITIVE_DIRS = new Set(['/', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/sys', '/usr', '/var/lib/docker']);
/** Everything below these is sensitive too. /dev is not: its device nodes stay behind the device cgroup, and /dev/shm-style binds are routine. */
const SENSITIVE_TREES = ['/etc', '/proc', '/sys', '/boot', '/var/lib/docker'];

function sensitive(p: string): boolean {
  return SENSITIVE_DIRS.has(p) || SENSITIVE_TREES.some((t) => p.startsWith(`${t}/`));
}

export const sensitiveHostPath: Rule = {
  id: 'BH008',
  name: 'sensitive-host-path',
  severity: 'high',
  category: 'filesystem',
  references: ['CIS-5.6'],
  aliases: ['KSV-0023', 'KSV-0121', 'DS-0030', 'DKL-DI-0002', 'kics: Volume Has Sensitive Host Directory'],
  docs: {
    summary: 'A sensitive host directory (/, /etc, /proc, /sys, /boot, /dev, /usr, /lib, /var/lib/docker, …) is bind-mounted into the container.',
    rationale:
      "Host system directories carry credentials (/etc/shadow, keys), kernel interfaces (/proc, /sys) and the binaries the host runs; written to, they give root on the host, and even read-only they leak secrets and host state.",
    remediation: {
      docker: 'remove the -v/--mount of the host directory; mount only the specific files the container needs, read-only (:ro, or readonly in --mount)',
      compose: 'remove the entry from the service\'s volumes, or narrow it to the needed files and add :ro',
      kubernetes: 'remove the hostPath volume, or narrow its path and set readOnly: true on the volumeMount',
      ecs: 'remove the volume whose host.sourcePath is the directory, or set "readOnly": true in its mountPoints entry',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.mounts.origin === 'absent') return;
      for (const m of c.mounts.value) {
        // Engine sockets and their directories are docker-socket-mounted's, at a higher severity.
        if (m.type !== 'bind' || !m.source.startsWith('/') || engineSocketExposure(m.source)) continue;
        const p = posix.normalize(m.source).replace(/(.)\/+$/, '$1');
        if (!sensitive(p)) continue;
        const mode = m.readOnly ? 'read-only' : 'read-write';
        const severity = p === '/' ? (m.readOnly ? 'high' : 'critical') : m.readOnly ? 'medium' : 'high';
        report(m, `mounts host path ${m.source} at ${m.destination} (${mode})`, severity);
      }
    });
  },
};
