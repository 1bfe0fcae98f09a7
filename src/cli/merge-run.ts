import { EXIT, InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { fleetSummary, hostsOf, mergeFindings, type FleetFinding } from '../core/fleet.js';
import type { AuditReport } from '../core/report.js';
import { listedFindings, readJsonReport, type ReportDocument, type ReportFinding } from '../core/report-json.js';
import type { SuppressedFinding } from '../core/suppression.js';
import type { Rule } from '../core/rule.js';
import { readTextFile } from '../inputs/read-input.js';
import type { Subject, SubjectKind } from '../model/subject.js';
import { subjectKey } from '../model/subject.js';
import { RULES } from '../rules/index.js';
import type { Logger } from './log.js';
import { gated, publish, type ReportFlags } from './publish.js';
import { VERSION } from './version.js';

export interface MergeOptions extends Pick<ReportFlags, 'format' | 'output' | 'severity' | 'failOn' | 'color' | 'showSuppressed'> {
  previous?: string;
  quiet: boolean;
}

const KINDS: readonly SubjectKind[] = ['container', 'file', 'host', 'daemon', 'image'];

export async function merge(files: readonly string[], opts: MergeOptions, logger: Logger): Promise<number> {
  // Every input is read and checked before anything is written.
  const reports = files.map((file) => readJsonReport(readTextFile(file), file));
  const previous = opts.previous === undefined ? undefined : reportedOnly(mergeFindings([readJsonReport(readTextFile(opts.previous), opts.previous)]));
  const merged = mergeFindings(reports);
  const hosts = hostsOf(reports);
  const report = mergedReport(merged, hosts, reports, opts, previous);
  await publish(report, opts, logger);
  return report.failed ? EXIT.findings : EXIT.clean;
}

/** Only what was reported: the fleet summary and --previous compare reported findings. */
const reportedOnly = (findings: readonly FleetFinding[]) => findings.filter((f) => f.suppression === undefined);

function mergedReport(merged: readonly FleetFinding[], hosts: readonly string[], reports: readonly ReportDocument[], opts: MergeOptions, previous?: readonly FleetFinding[]): AuditReport {
  const sources = new Map<ReportFinding, ReportDocument>(reports.flatMap((r) => listedFindings(r).map((f) => [f, r] as const)));
  const subjects = new Map<string, Subject>();
  const all: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const m of merged) {
    const f = toFinding(m, sources.get(m.finding)!);
    // One object per subject: reporters group by it.
    const key = subjectKey(f.subject);
    const subject = subjects.get(key) ?? f.subject;
    subjects.set(key, subject);
    const finding = { ...f, subject };
    if (m.suppression) suppressed.push({ finding, suppression: m.suppression });
    else all.push(finding);
  }
  // A report made without --show-suppressed says how many it suppressed, not which: they cannot be merged.
  const notes = reports.flatMap((r) => {
    const unlisted = r.suppressedCount - r.suppressed.length;
    return unlisted > 0 ? [`${r.from}: ${unlisted} suppressed ${unlisted === 1 ? 'finding is' : 'findings are'} not listed in it (made without --show-suppressed), so not in this merge`] : [];
  });
  return {
    tool: { name: 'bulkhead', version: VERSION },
    target: `merge of ${reports.length} ${reports.length === 1 ? 'report' : 'reports'} (${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'})`,
    subjects: [...subjects.values()],
    ...gated(all, opts.severity, opts.failOn ?? 'low'),
    // A report of many hosts says which host each note is about.
    notes: [...reports.flatMap((r) => r.notes.map((n) => (n.startsWith(`${r.target}: `) ? n : `${r.target}: ${n}`))), ...notes],
    suppressed,
    showSuppressed: opts.showSuppressed,
    fleet: fleetSummary(reportedOnly(merged), hosts, previous),
  };
}

const rulesById = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

/** A merged finding back in the report model, its subject on its host. */
function toFinding(m: FleetFinding, report: ReportDocument): Finding {
  const from = report.from;
  const f = m.finding;
  const rule = rulesById.get(f.ruleId);
  // A report from a newer bulkhead can hold rules this one does not know: its reporters could not describe them.
  if (!rule) throw new InputError(`${from}: rule ${f.ruleId} (${f.ruleName}) is not one this bulkhead ${VERSION} knows: merge with the bulkhead that wrote the report`);
  if (!(KINDS as readonly string[]).includes(f.subject.kind)) throw new InputError(`${from}: a finding of ${f.ruleId} is about a "${f.subject.kind}", not a kind of subject bulkhead knows`);
  const l = f.location;
  const loc = typeof l.file === 'string' && typeof l.line === 'number' && typeof l.column === 'number' ? { file: l.file, line: l.line, column: l.column } : undefined;
  const s = f.subject;
  const host = s.host ?? report.host;
  const subject: Subject = {
    kind: s.kind as SubjectKind,
    name: s.name,
    ...(typeof s.id === 'string' ? { id: s.id } : {}),
    ...(s.file === undefined ? {} : { file: s.file }),
    // The host as its report named it (a merge of this report names it again as m.host); a report with none, by its target.
    host: host ? { name: host.name, ...(typeof host.id === 'string' ? { id: host.id } : {}) } : { name: m.host },
  };
  const reference = ownReference(rule, f.references);
  return {
    rule,
    severity: m.severity,
    message: f.message,
    subject,
    ...(reference ? { reference } : {}),
    location: loc ? { path: l.path, loc } : { path: l.path },
    remediation: typeof f.remediation === 'string' ? f.remediation : rule.docs.remediation.docker,
  };
}

/** The CIS item a finding is about when its rule covers several: the one of the rule's items its references list (as findingReferences wrote them). */
function ownReference(rule: Rule, references: unknown): string | undefined {
  if (rule.references.length < 2 || !Array.isArray(references)) return undefined;
  const items = references.filter((r): r is string => typeof r === 'string' && rule.references.includes(r));
  return items.length === 1 ? items[0] : undefined;
}
