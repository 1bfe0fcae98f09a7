import type { Rule } from '../core/rule.js';
import type { AuditWatch, CisPath } from '../model/host.js';
import { isAtOrBelow } from './support/host-paths.js';

/**
 * A watch covers a path when it is on that path, or on a folder above it
 * and recursive (`-w` on a directory and `-F dir=` watch the whole subtree;
 * `-F path=` only its own inode). Both sides are compared where the kernel
 * sees them, symlinks resolved (HostRoot.realPath, src/inputs/host/watched-path.ts).
 */
function covers(w: AuditWatch, p: CisPath): boolean {
  return w.realPath === p.realPath || (w.recursive && isAtOrBelow(p.realPath, w.realPath));
}

/**
 * What a path needs recorded: `w`, every change to its content (an open
 * for writing, a truncate, a rename or unlink that replaces it) and `a`,
 * every change to its owner, mode or attributes. Reads (`r`) and executions
 * (`x`) are not changes. A watch with only one of the two leaves half the
 * tampering unseen (a `-p a` watch misses a replaced dockerd), so the
 * letters of every covering watch together must hold both.
 */
const NEEDED: readonly { readonly letter: string; readonly what: string }[] = [
  { letter: 'w', what: 'changes to its content (w)' },
  { letter: 'a', what: 'changes to its owner and mode (a)' },
];

function describe(w: AuditWatch): string {
  const rule = `-w ${w.path} -p ${w.permissions}`;
  return w.at.loc ? rule : `${rule}, loaded in the kernel (auditctl -l)`;
}

export const dockerPathNotAudited: Rule = {
  id: 'BH049',
  name: 'docker-path-not-audited',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-1.1.3', 'CIS-1.1.4', 'CIS-1.1.5', 'CIS-1.1.6', 'CIS-1.1.7', 'CIS-1.1.8', 'CIS-1.1.9', 'CIS-1.1.10', 'CIS-1.1.11', 'CIS-1.1.12', 'CIS-1.1.13', 'CIS-1.1.14', 'CIS-1.1.15', 'CIS-1.1.16', 'CIS-1.1.17', 'CIS-1.1.18'],
  aliases: [],
  docs: {
    summary: 'A Docker file, folder or program on the host is not watched by an audit rule.',
    rationale:
      'The Docker daemon, containerd, runc, their configuration, units and data run everything as root; an audit watch records who changed them and when, the evidence an incident needs. A path that does not exist on the host needs no watch and is not reported.',
    remediation: {
      docker:
        'add `-w PATH -p wa -k docker` for the path to a file in /etc/audit/rules.d/ (e.g. docker.rules) and load it with `augenrules --load`',
    },
  },
  needs: ['host-system'],
  check(ctx) {
    const host = ctx.workload.host;
    const audit = host?.system?.audit;
    if (!host || !audit) return; // the rules could not be read: coverage is unknown
    const subject = { kind: 'host' as const, name: host.name };
    for (const p of host.system!.cisPaths) {
      const label = `CIS ${p.item}: ${p.path}${p.realPath === p.path ? '' : ` (really ${p.realPath})`}, ${p.what},`;
      if (audit.disabledBy) {
        ctx.report({ subject, reference: `CIS-${p.item}`, at: audit.disabledBy, message: `${label} is not audited: -a never,task turns off auditing of every process, so no watch records anything` });
        continue;
      }
      const covering = audit.watches.filter((w) => covers(w, p));
      const letters = new Set(covering.flatMap((w) => [...w.permissions]));
      const missing = NEEDED.filter((n) => !letters.has(n.letter));
      if (missing.length === 0) continue;
      if (covering.length === 0) {
        ctx.report({ subject, reference: `CIS-${p.item}`, at: { path: `audit.watch[${JSON.stringify(p.path)}]` }, message: `${label} is not watched by any audit rule` });
        continue;
      }
      ctx.report({
        subject,
        reference: `CIS-${p.item}`,
        at: covering[0]!.at,
        message: `${label} is watched only for '${['r', 'w', 'x', 'a'].filter((l) => letters.has(l)).join('')}' (${covering.map(describe).join('; ')}): ${missing.map((m) => m.what).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not recorded`,
      });
    }
  },
};
