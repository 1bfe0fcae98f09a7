import type { Finding } from '../core/finding.js';
import { SEVERITIES, type Severity } from '../core/severity.js';
import { findingJson } from '../reporters/json.js';
import { jsonText, plain } from '../reporters/sanitize.js';
import type { ContainerRef } from './audit-container.js';

/** One audit as `watch` prints it: the findings after the user's policy and --severity. */
export interface AuditLine {
  readonly time: Date;
  readonly event: string;
  readonly container: ContainerRef;
  readonly findings: readonly Finding[];
  /** Every reported finding by severity (shown or hidden by --severity). */
  readonly counts: Readonly<Record<Severity, number>>;
  /** Some finding is at or above --fail-on. */
  readonly failed: boolean;
}

/** One JSON object on one line (JSON Lines): a consumer reads line by line as audits happen. */
export function renderJsonLine(a: AuditLine): string {
  return `${jsonText({
    time: a.time.toISOString(),
    event: a.event,
    container: a.container,
    findings: a.findings.map(findingJson),
    summary: { findings: a.findings.length, bySeverity: a.counts, failed: a.failed },
  })}\n`;
}

/**
 * `TIME container NAME (event): N findings (x critical, …)` then each shown
 * finding indented, or `clean`. N and the counts are every reported finding,
 * those --severity hides too (said after the counts), as in the JSON line.
 * Container text is untrusted: plain().
 */
export function renderTextLine(a: AuditLine): string {
  const head = `${a.time.toISOString()} container ${plain(a.container.name)} (${a.event})`;
  const total = SEVERITIES.reduce((n, s) => n + a.counts[s], 0);
  if (total === 0) return `${head}: clean\n`;
  const bySeverity = [...SEVERITIES]
    .reverse()
    .filter((s) => a.counts[s] > 0)
    .map((s) => `${a.counts[s]} ${s}`);
  const hidden = total - a.findings.length;
  const lines = a.findings.map((f) => `  ${f.severity.padEnd(8)} ${f.rule.id} ${f.rule.name}: ${plain(f.message)}\n`);
  return `${head}: ${total} ${total === 1 ? 'finding' : 'findings'} (${bySeverity.join(', ')})${hidden > 0 ? `, ${hidden} not shown (--severity)` : ''}\n${lines.join('')}`;
}
