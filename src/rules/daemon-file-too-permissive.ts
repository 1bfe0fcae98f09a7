import type { Rule } from '../core/rule.js';
import type { Severity } from '../core/severity.js';
import type { HostFile } from '../model/host.js';
import { FILE_ROLES, MODE_ITEMS } from '../model/file-roles.js';
import { describeFile, octal } from './support/host-files.js';

/** Who each class of permission bits is, from the owner's (shift 6) to everyone's (shift 0). */
const CLASSES = [
  { shift: 6, who: 'owner', letter: 'u' },
  { shift: 3, who: 'group', letter: 'g' },
  { shift: 0, who: 'others', letter: 'o' },
] as const;
const PERMS = [
  { bit: 4, name: 'read', letter: 'r' },
  { bit: 2, name: 'write', letter: 'w' },
  { bit: 1, name: 'execute', letter: 'x' },
] as const;

export const daemonFileTooPermissive: Rule = {
  id: 'BH071',
  name: 'daemon-file-too-permissive',
  severity: 'medium',
  category: 'daemon',
  references: MODE_ITEMS,
  aliases: [],
  docs: {
    summary: 'A file that configures or serves the Docker daemon has permission bits beyond what CIS 3.x allows.',
    rationale:
      'Write access to the unit files, /etc/docker, daemon.json or the environment files changes how dockerd runs as root; write access to the sockets is the Docker API, root on the host; read access to the TLS key lets anyone impersonate the daemon. Modes are compared bit by bit (0604 is within 0644, 0607 is not within 0660), not as the decimal numbers docker-bench compares; setuid, setgid and sticky bits give no access to these files and are not counted.',
    remediation: {
      docker:
        'chmod away the extra bits (the message gives the command): at most 0644 for docker.service, docker.socket, their drop-ins, daemon.json and /etc/default or /etc/sysconfig/docker, 0755 for /etc/docker, 0444 for certificates, 0400 for the TLS key, 0660 for the sockets (made lasting with SocketMode=0660 in docker.socket)',
    },
  },
  needs: ['host-files'],
  check(ctx) {
    for (const f of ctx.workload.host?.files ?? []) {
      const max = FILE_ROLES[f.role].maxMode;
      const extra = f.mode & 0o777 & ~max;
      if (extra === 0) continue;
      const item = FILE_ROLES[f.role].modeItem;
      ctx.report({
        subject: { kind: 'file', name: f.path },
        reference: `CIS-${item}`,
        at: { path: 'mode' },
        message: `${describeFile(f)} has mode ${octal(f.mode)}, more than ${octal(max)} allows: ${bitsText(extra)} (CIS ${item}): chmod ${chmodRemoving(extra)} ${f.path}`,
        severity: severityOf(f, extra),
      });
    }
  },
};

/** Anyone able to write a daemon file or socket is root on the host; anyone able to read the TLS key can pose as the daemon. */
function severityOf(f: HostFile, extra: number): Severity {
  if (extra & 0o002) return 'critical';
  if (f.role === 'TLS server key' && extra & 0o044) return 'high';
  return 'medium';
}

/** `group write, others read and write`. */
function bitsText(bits: number): string {
  return CLASSES.map(({ shift, who }) => {
    const names = PERMS.filter(({ bit }) => (bits >> shift) & bit).map((p) => p.name);
    return names.length ? `${who} ${names.join(' and ')}` : '';
  })
    .filter(Boolean)
    .join(', ');
}

/** The chmod argument that removes exactly these bits and keeps the rest: `g-w,o-rw`. */
function chmodRemoving(bits: number): string {
  return CLASSES.map(({ shift, letter }) => {
    const letters = PERMS.filter(({ bit }) => (bits >> shift) & bit).map((p) => p.letter).join('');
    return letters ? `${letter}-${letters}` : '';
  })
    .filter(Boolean)
    .join(',');
}
