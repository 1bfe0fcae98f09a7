import pc from 'picocolors';
import type { AuditReport } from '../core/report.js';
import { findingCisItems, type Finding } from '../core/finding.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { plain } from './sanitize.js';
import { hostKey, hostLabel, subjectKey, type Subject } from '../model/subject.js';
import { fleetLines } from './fleet-text.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Human output: findings grouped by what they are about, most severe first, then a summary line. */
export function renderText(report: AuditReport, color: boolean): string {
  const c = pc.createColors(color);
  const out: string[] = [c.dim(`bulkhead ${report.tool.version}: ${plain(report.target)}`), ''];
  const bySubject = new Map<string, Finding[]>();
  for (const s of report.subjects) bySubject.set(subjectKey(s), []);
  for (const f of report.findings) {
    const k = subjectKey(f.subject);
    const list = bySubject.get(k);
    if (list) list.push(f);
    else bySubject.set(k, [f]);
  }
  const groups = [...bySubject].map(([k, findings]) => ({ findings, subject: findings[0]?.subject ?? report.subjects.find((s) => subjectKey(s) === k)! }));
  // A fleet audit: a header per engine, this machine's own subjects (no host) first. The sort is stable: each engine keeps its order.
  const fleet = groups.some((g) => g.subject.host !== undefined);
  const rank = new Map<string, number>();
  for (const { subject: s } of groups) if (s.host && !rank.has(hostKey(s.host))) rank.set(hostKey(s.host), rank.size);
  const order = (s: Subject) => (s.host ? rank.get(hostKey(s.host))! : -1);
  if (fleet) groups.sort((a, b) => order(a.subject) - order(b.subject));
  let header: string | undefined;
  for (const { findings, subject } of groups) {
    if (fleet) {
      const h = subject.host ? `== engine ${plain(subject.host.name)}${subject.host.id ? ` ${c.dim(plain(subject.host.id))}` : ''} ==` : '== this machine ==';
      if (h !== header) out.push(c.bold(h), '');
      header = h;
    }
    const id = subject.id ? c.dim(` ${subject.id.slice(0, 12)}`) : '';
    const file = subject.file && subject.file !== subject.name ? c.dim(` ${plain(subject.file)}`) : '';
    // The host is the header's (== engine … ==) above.
    out.push(`${c.bold(plain(subject.name))}${id}${c.dim(` (${subject.kind})`)}${file}`);
    if (findings.length === 0) out.push(`  ${c.green('no findings')}`);
    for (const f of findings) out.push(...findingLines(f, c));
    out.push('');
  }
  if (report.showSuppressed && report.suppressed.length) {
    out.push(c.bold('suppressed'));
    for (const { finding: f, suppression: s } of report.suppressed) {
      const loc = f.location.loc;
      const where = loc ? `${plain(loc.file)}:${loc.line}:${loc.column}` : plain(f.location.path);
      // Suppressed findings are listed together, not under their engine's header: each names its host.
      const host = f.subject.host ? c.dim(` on ${plain(hostLabel(f.subject.host))}`) : '';
      out.push(`  ${c.dim(f.severity.padEnd(8))} ${f.rule.id} ${f.rule.name} ${plain(f.subject.name)}${host} ${c.dim(where)}`);
      out.push(`           ${c.dim(`by ${s.kind} ignore at ${plain(s.where)}:`)} ${plain(s.reason)}${s.expires ? c.dim(` (until ${s.expires})`) : ''}`);
    }
    out.push('');
  }
  if (report.fleet) out.push(...fleetLines(report.fleet, c));
  for (const note of report.notes) out.push(c.yellow(`note: ${plain(note)}`));
  out.push(summaryLine(report, c));
  return out.join('\n') + '\n';
}

const LABEL: Record<Severity, (c: Colors, s: string) => string> = {
  critical: (c, s) => c.bold(c.red(s)),
  high: (c, s) => c.red(s),
  medium: (c, s) => c.yellow(s),
  low: (c, s) => c.cyan(s),
  info: (c, s) => c.dim(s),
};

function findingLines(f: Finding, c: Colors): string[] {
  const label = LABEL[f.severity](c, f.severity.toUpperCase().padEnd(8));
  const loc = f.location.loc;
  const where = loc ? `${plain(loc.file)}:${loc.line}:${loc.column} ${plain(f.location.path)}` : plain(f.location.path);
  const items = findingCisItems(f);
  const cis = items.length ? ` ${c.dim(items.join(' '))}` : '';
  return [
    `  ${label} ${c.bold(f.rule.id)} ${f.rule.name}${cis}`,
    `           ${plain(f.message)}`,
    `           ${c.dim('at')} ${where}`,
    `           ${c.dim('fix')} ${plain(f.remediation)}`,
  ];
}

function summaryLine(report: AuditReport, c: Colors): string {
  const total = SEVERITIES.reduce((n, s) => n + report.counts[s], 0);
  const parts = [...SEVERITIES].reverse().filter((s) => report.counts[s] > 0).map((s) => `${report.counts[s]} ${s}`);
  const hidden = total - report.findings.length;
  const subjects = `${report.subjects.length} ${report.subjects.length === 1 ? 'subject' : 'subjects'} audited`;
  const found = total === 0 ? 'no findings' : `${total} ${total === 1 ? 'finding' : 'findings'} (${parts.join(', ')})`;
  const hiddenText =
    (hidden > 0 ? `, ${hidden} hidden by --severity` : '') +
    (report.suppressed.length ? `, ${report.suppressed.length} suppressed${report.showSuppressed ? '' : ' (--show-suppressed lists them)'}` : '');
  const verdict =
    report.gate === 'none' ? '' : report.failed ? c.red(` — FAIL (--fail-on ${report.gate})`) : c.green(` — pass (--fail-on ${report.gate})`);
  return `${subjects}, ${found}${hiddenText}${verdict}`;
}
