import type { AuditReport } from '../core/report.js';
import { findingReferences, type Finding } from '../core/finding.js';
import { LazyArray, jsonPieces, type ReportPiece } from './json-pieces.js';
import { writeFinding } from './finding-text.js';

/** The JSON contract (schemaVersion 1): later features and users' scripts read it. Written in chunks. */
export function renderJson(report: AuditReport): Iterable<ReportPiece> {
  const doc = {
    schemaVersion: 1,
    tool: report.tool,
    target: report.target,
    ...(report.host ? { host: report.host } : {}),
    findings: new LazyArray(report.findings, findingJson, writeFinding),
    summary: {
      subjects: report.subjects.length,
      findings: report.findings.length,
      bySeverity: report.counts,
      failOn: report.gate,
      failed: report.failed,
      suppressed: report.suppressed.length,
    },
    notes: report.notes,
    ...(report.fleet ? { fleet: report.fleet } : {}),
    ...(report.showSuppressed ? { suppressed: new LazyArray(report.suppressed, (s) => ({ ...findingJson(s.finding), suppression: s.suppression })) } : {}),
  };
  return jsonPieces(doc);
}

/** A finding in the JSON contract; finding-text.ts writes the same text directly, and a test keeps them equal. */
export function findingJson(f: Finding) {
  const loc = f.location.loc;
  return {
    ruleId: f.rule.id,
    ruleName: f.rule.name,
    severity: f.severity,
    message: f.message,
    references: findingReferences(f),
    subject: {
      kind: f.subject.kind,
      name: f.subject.name,
      ...(f.subject.id === undefined ? {} : { id: f.subject.id }),
      ...(f.subject.file === undefined ? {} : { file: f.subject.file }),
      ...(f.subject.host === undefined ? {} : { host: f.subject.host.id === undefined ? { name: f.subject.host.name } : { name: f.subject.host.name, id: f.subject.host.id } }),
    },
    location: loc ? { file: loc.file, line: loc.line, column: loc.column, path: f.location.path } : { path: f.location.path },
    remediation: f.remediation,
  };
}
