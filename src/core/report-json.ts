/**
 * Reads a bulkhead JSON report (schemaVersion 1) back: `baseline create` and
 * `merge` take reports written by any bulkhead run, so both check them the
 * same way and name the file when it is not one.
 */
import { InputError } from './errors.js';
import { parseJsonFile } from '../inputs/json/parse-json.js';
import type { Suppression } from './suppression.js';

/** A finding as the JSON contract writes it; only what readers rely on is checked. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly severity?: unknown;
  readonly message: string;
  /** The finding's CIS item(s) and the peers' ids; only a merge reads it, for the CIS item of a finding whose rule covers several. */
  readonly references?: unknown;
  readonly subject: { readonly kind: string; readonly name: string; readonly id?: string; readonly file?: string; readonly host?: { readonly name: string; readonly id?: string } };
  readonly location: { readonly path: string; readonly file?: unknown; readonly line?: unknown; readonly column?: unknown };
  readonly remediation?: unknown;
}

/** An entry of the `suppressed` array that `--show-suppressed` adds: the finding and why it was not reported. */
export interface ReportSuppressed extends ReportFinding {
  readonly suppression: Suppression;
}

export interface ReportDocument {
  /** Where it was read from, for messages. */
  readonly from: string;
  readonly target: string;
  /** The report's one host, when it audited one (see AuditReport.host). */
  readonly host?: { readonly name: string; readonly id?: string };
  readonly findings: readonly ReportFinding[];
  /** The suppressed findings the report lists (made with --show-suppressed); none otherwise. */
  readonly suppressed: readonly ReportSuppressed[];
  /** How many findings it suppressed (summary.suppressed), listed or not. */
  readonly suppressedCount: number;
  readonly notes: readonly string[];
}

/** Every finding a report lists, reported or suppressed. */
export function listedFindings(report: Pick<ReportDocument, 'findings' | 'suppressed'>): ReportFinding[] {
  return [...report.findings, ...report.suppressed];
}

export function readJsonReport(text: string, from: string): ReportDocument {
  const doc = parseJsonFile(text, from, 'not a bulkhead JSON report');
  const r = doc as { schemaVersion?: unknown; tool?: { name?: unknown }; target?: unknown; host?: { name?: unknown; id?: unknown }; findings?: unknown; notes?: unknown; suppressed?: unknown; summary?: { suppressed?: unknown } };
  if (typeof doc !== 'object' || doc === null || r.tool?.name !== 'bulkhead' || !Array.isArray(r.findings)) {
    throw new InputError(`${from}: not a bulkhead JSON report (make one with bulkhead scan -f json or bulkhead audit -f json)`);
  }
  if (r.schemaVersion !== 1) throw new InputError(`${from}: report schemaVersion ${JSON.stringify(r.schemaVersion)} is not one this bulkhead reads (1)`);
  r.findings.forEach((f: unknown, i: number) => {
    if (!isReportFinding(f)) throw new InputError(`${from}: findings[${i}] lacks ruleId, subject or location.path`);
    if (!isPlace(f.location)) throw new InputError(`${from}: findings[${i}].location: file, line and column go together, line and column as whole numbers from 1`);
  });
  if (r.suppressed !== undefined && !Array.isArray(r.suppressed)) throw new InputError(`${from}: suppressed is not a list of findings`);
  const suppressed = (r.suppressed ?? []) as unknown[];
  suppressed.forEach((f: unknown, i: number) => {
    if (!isReportFinding(f) || !isSuppression((f as ReportSuppressed).suppression)) throw new InputError(`${from}: suppressed[${i}] lacks ruleId, subject, location.path or suppression (kind, reason, where)`);
    if (!isPlace(f.location)) throw new InputError(`${from}: suppressed[${i}].location: file, line and column go together, line and column as whole numbers from 1`);
  });
  const counted = r.summary?.suppressed;
  const suppressedCount = Number.isSafeInteger(counted) && (counted as number) >= suppressed.length ? (counted as number) : suppressed.length;
  const notes = Array.isArray(r.notes) ? r.notes.filter((n): n is string => typeof n === 'string') : [];
  const host = typeof r.host?.name === 'string' && r.host.name !== '' ? { name: r.host.name, ...(typeof r.host.id === 'string' ? { id: r.host.id } : {}) } : undefined;
  return {
    from,
    target: typeof r.target === 'string' ? r.target : from,
    ...(host ? { host } : {}),
    findings: r.findings as ReportFinding[],
    // Only the suppression's own fields go on: a report is input, and its other keys would reach the merged report verbatim.
    suppressed: (suppressed as ReportSuppressed[]).map((f) => ({ ...f, suppression: ownFields(f.suppression) })),
    suppressedCount,
    notes,
  };
}

const SUPPRESSION_KINDS: readonly string[] = ['inline', 'config', 'annotation', 'baseline', 'self'] satisfies readonly Suppression['kind'][];

function ownFields(s: Suppression): Suppression {
  return { kind: s.kind, reason: s.reason, where: s.where, ...(s.expires === undefined ? {} : { expires: s.expires }) };
}

function isSuppression(s: unknown): s is Suppression {
  const x = s as Suppression;
  return (
    typeof s === 'object' && s !== null && SUPPRESSION_KINDS.includes(x.kind) && typeof x.reason === 'string' && typeof x.where === 'string' &&
    (x.expires === undefined || typeof x.expires === 'string')
  );
}

function isReportFinding(f: unknown): f is ReportFinding {
  const x = f as ReportFinding;
  return (
    typeof f === 'object' && f !== null && typeof x.ruleId === 'string' && typeof x.ruleName === 'string' && typeof x.message === 'string' &&
    typeof x.subject?.kind === 'string' && typeof x.subject.name === 'string' && (x.subject.file === undefined || typeof x.subject.file === 'string') &&
    (x.subject.host === undefined || typeof x.subject.host?.name === 'string') &&
    typeof x.location?.path === 'string'
  );
}

/** A location's file, line and column: all three or none, lines and columns counted from 1 (as every format that carries them needs). */
function isPlace(l: ReportFinding['location']): boolean {
  if (l.file === undefined && l.line === undefined && l.column === undefined) return true;
  const count = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
  return typeof l.file === 'string' && count(l.line) && count(l.column);
}
