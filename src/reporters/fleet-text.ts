import type pc from 'picocolors';
import type { FleetSummary } from '../core/fleet.js';
import { SEVERITIES } from '../core/severity.js';
import { plain } from './sanitize.js';

type Colors = ReturnType<typeof pc.createColors>;

/** How many of each list the text shows; the JSON report has them all (worst hosts: up to WORST_HOSTS). */
const SHOWN = 5;

/** The fleet section of a merged report's text: the widespread rules, the worst hosts, what changed. */
export function fleetLines(fleet: FleetSummary, c: Colors): string[] {
  const out = [c.bold(`fleet: ${fleet.hosts} ${fleet.hosts === 1 ? 'host' : 'hosts'}`)];
  if (fleet.rules.length) out.push('  rules failing on the most hosts:');
  for (const r of fleet.rules.slice(0, SHOWN)) out.push(`    ${String(r.hosts).padStart(4)} ${r.hosts === 1 ? 'host ' : 'hosts'} ${c.bold(r.ruleId)} ${r.ruleName}`);
  if (fleet.rules.length > SHOWN) out.push(c.dim(`    … ${fleet.rules.length - SHOWN} more rules (the JSON report lists them all)`));
  const worst = fleet.worstHosts.filter((h) => h.total > 0).slice(0, SHOWN);
  if (worst.length) out.push('  worst hosts:');
  for (const h of worst) {
    const parts = [...SEVERITIES].reverse().filter((s) => h[s] > 0).map((s) => `${h[s]} ${s}`);
    out.push(`    ${plain(h.host)}: ${h.total} ${h.total === 1 ? 'finding' : 'findings'} (${parts.join(', ')})`);
  }
  if (fleet.changes) {
    const { new: added, fixed } = fleet.changes;
    out.push(`  since the previous merge: ${c.red(`${added.length} new`)}, ${c.green(`${fixed.length} fixed`)}`);
    for (const [mark, list] of [['+', added], ['-', fixed]] as const) {
      for (const ch of list.slice(0, SHOWN)) out.push(`    ${mark} ${plain(ch.host)}: ${ch.ruleId} ${ch.ruleName} ${plain(ch.subject)} ${c.dim(plain(ch.path))}`);
      if (list.length > SHOWN) out.push(c.dim(`    ${mark} … ${list.length - SHOWN} more`));
    }
  }
  out.push('');
  return out;
}
