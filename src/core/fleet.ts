/**
 * `bulkhead merge`: many per-host JSON reports made into one, and the fleet's
 * view of it (which rules fail on how many hosts, the worst hosts, what
 * changed since a previous merge). Pure functions over reports already read.
 */
import { InputError } from './errors.js';
import { fingerprintOf } from './fingerprint.js';
import { listedFindings, type ReportDocument, type ReportFinding } from './report-json.js';
import type { Suppression } from './suppression.js';
import { SEVERITIES, isSeverity, type Severity } from './severity.js';
import { hostLabel, type SubjectHost } from '../model/subject.js';

/** One finding of the fleet: the same fingerprint on two hosts is two findings. */
export interface FleetFinding {
  readonly host: string;
  readonly fingerprint: string;
  readonly severity: Severity;
  readonly finding: ReportFinding;
  /** Set when its report suppressed it (and listed it: --show-suppressed). */
  readonly suppression?: Suppression;
}

export interface FleetChange {
  readonly host: string;
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly subject: string;
  readonly path: string;
}

export type HostCounts = { readonly host: string } & Readonly<Record<Severity, number>> & { readonly total: number };

export interface FleetSummary {
  readonly hosts: number;
  /** Every rule with a finding, on how many hosts, most widespread first. */
  readonly rules: readonly { readonly ruleId: string; readonly ruleName: string; readonly hosts: number }[];
  /** The hosts with the most severe findings first (up to WORST_HOSTS). */
  readonly worstHosts: readonly HostCounts[];
  /** Against --previous: findings (by fingerprint and host) that appeared, and those that went away. */
  readonly changes?: { readonly new: readonly FleetChange[]; readonly fixed: readonly FleetChange[] };
}

export const WORST_HOSTS = 10;

type HostOf = (finding: ReportFinding | undefined, report: Pick<ReportDocument, 'target' | 'host'>) => string;

/**
 * Names the host of each finding of these reports: the engine a
 * multi-engine audit names in `subject.host`, else the report's own host (an
 * audit of one host), else its target (`docker inspect output x.json`,
 * `scan .`). A host is named by its name alone, or by `name ID` where engines
 * with different IDs share the name (several engines on one machine all take
 * its hostname).
 */
export function hostNamer(reports: readonly Pick<ReportDocument, 'findings' | 'suppressed' | 'host'>[]): HostOf {
  const ids = new Map<string, Set<string>>();
  const see = (h: SubjectHost | undefined) => {
    if (h?.id === undefined) return;
    const set = ids.get(h.name) ?? new Set<string>();
    set.add(h.id);
    ids.set(h.name, set);
  };
  for (const report of reports) {
    see(report.host);
    for (const f of listedFindings(report)) see(f.subject.host);
  }
  return (finding, report) => {
    const h = finding?.subject.host ?? report.host;
    if (!h) return report.target;
    return (ids.get(h.name)?.size ?? 0) > 1 ? hostLabel(h) : h.name;
  };
}

/**
 * Every finding of the reports, reported or suppressed, once per fingerprint
 * and host: when two reports hold the same one (two runs on one host), the
 * later report's (in the order given) is kept, whether it reported or
 * suppressed it.
 */
export function mergeFindings(reports: readonly ReportDocument[]): FleetFinding[] {
  const hostOf = hostNamer(reports);
  const byKey = new Map<string, FleetFinding>();
  for (const report of reports) {
    const listed: { finding: ReportFinding; suppression?: Suppression; where: string }[] = [
      ...report.findings.map((finding, i) => ({ finding, where: `findings[${i}]` })),
      ...report.suppressed.map((finding, i) => ({ finding, suppression: finding.suppression, where: `suppressed[${i}]` })),
    ];
    for (const { finding, suppression, where } of listed) {
      if (typeof finding.severity !== 'string' || !isSeverity(finding.severity)) {
        throw new InputError(`${report.from}: ${where} has no valid severity (${SEVERITIES.join(', ')})`);
      }
      const host = hostOf(finding, report);
      // The host is the key's other half: the fingerprint is taken without it, so a finding of a plain report and the
      // same finding of a merged one (whose subject names its host) match.
      const fingerprint = fingerprintOf({ ruleId: finding.ruleId, subject: { ...finding.subject, host: undefined }, path: finding.location.path });
      const key = `${host}\0${fingerprint}`;
      byKey.delete(key); // the later report's finding takes the later place too
      byKey.set(key, { host, fingerprint, severity: finding.severity, finding, ...(suppression ? { suppression } : {}) });
    }
  }
  return [...byKey.values()];
}

/** Every host the reports cover, including those with no findings (a report's target when its findings name no host). */
export function hostsOf(reports: readonly ReportDocument[]): string[] {
  const hostOf = hostNamer(reports);
  const hosts = new Set<string>();
  for (const report of reports) {
    const all = listedFindings(report);
    if (all.every((f) => f.subject.host === undefined)) hosts.add(hostOf(undefined, report));
    for (const f of all) hosts.add(hostOf(f, report));
  }
  return [...hosts];
}

export function fleetSummary(findings: readonly FleetFinding[], hosts: readonly string[], previous?: readonly FleetFinding[]): FleetSummary {
  const rules = new Map<string, { ruleId: string; ruleName: string; on: Set<string> }>();
  for (const f of findings) {
    const r = rules.get(f.finding.ruleId) ?? { ruleId: f.finding.ruleId, ruleName: f.finding.ruleName, on: new Set<string>() };
    r.on.add(f.host);
    rules.set(f.finding.ruleId, r);
  }
  const counts = new Map<string, Record<Severity, number>>(hosts.map((h) => [h, zero()]));
  for (const f of findings) {
    const c = counts.get(f.host) ?? zero();
    c[f.severity]++;
    counts.set(f.host, c);
  }
  const worst = [...counts].map(([host, c]) => ({ host, ...c, total: SEVERITIES.reduce((n, s) => n + c[s], 0) })).sort(worseFirst);
  return {
    hosts: counts.size,
    rules: [...rules.values()].map((r) => ({ ruleId: r.ruleId, ruleName: r.ruleName, hosts: r.on.size })).sort((a, b) => b.hosts - a.hosts || cmp(a.ruleId, b.ruleId)),
    worstHosts: worst.slice(0, WORST_HOSTS),
    ...(previous ? { changes: changesSince(findings, previous) } : {}),
  };
}

/** What appeared and what went away since the previous findings, by fingerprint and host. */
export function changesSince(current: readonly FleetFinding[], previous: readonly FleetFinding[]): { new: FleetChange[]; fixed: FleetChange[] } {
  const key = (f: FleetFinding) => `${f.host}\0${f.fingerprint}`;
  const before = new Set(previous.map(key));
  const now = new Set(current.map(key));
  return { new: current.filter((f) => !before.has(key(f))).map(change), fixed: previous.filter((f) => !now.has(key(f))).map(change) };
}

function change(f: FleetFinding): FleetChange {
  const s = f.finding.subject;
  return {
    host: f.host,
    fingerprint: f.fingerprint,
    ruleId: f.finding.ruleId,
    ruleName: f.finding.ruleName,
    subject: s.file === undefined ? `${s.kind} ${s.name}` : `${s.kind} ${s.name} (${s.file})`,
    path: f.finding.location.path,
  };
}

/** More critical findings first, then more high, and so on; then more findings; then by name. */
function worseFirst(a: HostCounts, b: HostCounts): number {
  for (const s of [...SEVERITIES].reverse()) if (a[s] !== b[s]) return b[s] - a[s];
  return b.total - a.total || cmp(a.host, b.host);
}

const zero = (): Record<Severity, number> => ({ info: 0, low: 0, medium: 0, high: 0, critical: 0 });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
