import { fingerprintOf } from '../core/fingerprint.js';
import type { AuditReport } from '../core/report.js';
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import type { Suppression } from '../core/suppression.js';
import { SECURITY_SEVERITY, type Severity } from '../core/severity.js';
import { RULES } from '../rules/index.js';
import { LazyArray, jsonPieces, type ReportPiece } from './json-pieces.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it. Findings from files get a
 * physical location (repo-relative URI, line, column); findings about live
 * containers have no file, so they carry a logical location naming the
 * container and field instead (code scanning is for files: use json or text for those).
 */
export function renderSarif(report: AuditReport): Iterable<ReportPiece> {
  const rules = RULES;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'bulkhead',
            semanticVersion: report.tool.version,
            informationUri: 'https://github.com/bulkhead-security/bulkhead',
            rules: rules.map(ruleDescriptor),
          },
        },
        // Suppressed findings are results too, marked as such: code scanning shows them as dismissed.
        results: new LazyArray(results(report), ({ finding, suppression }) => ({
          ...result(finding, index.get(finding.rule.id)),
          ...(suppression ? { suppressions: [{ kind: suppression.kind === 'inline' || suppression.kind === 'annotation' ? 'inSource' : 'external', justification: suppression.reason }] } : {}),
        })),
      },
    ],
  };
  return jsonPieces(doc);
}

function* results(report: AuditReport): Generator<{ finding: Finding; suppression?: Suppression }> {
  for (const finding of report.findings) yield { finding };
  yield* report.suppressed;
}

function ruleDescriptor(r: Rule) {
  const refs = [...r.references, ...r.aliases].join(', ');
  const text = `${r.docs.summary}\n\n${r.docs.rationale}\n\nFix (docker run): ${r.docs.remediation.docker}\nReferences: ${refs}`;
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.docs.summary },
    fullDescription: { text: r.docs.rationale },
    help: { text, markdown: `**${r.docs.summary}**\n\n${r.docs.rationale}\n\n**Fix** (docker run): ${r.docs.remediation.docker}\n\nReferences: ${refs}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['security', r.category, ...r.references], 'security-severity': SECURITY_SEVERITY[r.severity] },
  };
}

function result(f: Finding, ruleIndex: number | undefined) {
  const loc = f.location.loc;
  // The baseline's fingerprint: code scanning follows an alert across edits by it as --baseline does.
  const fingerprint = fingerprintOf({ ruleId: f.rule.id, subject: f.subject, path: f.location.path });
  // In a fleet audit the engine's name leads: two hosts' `web` are two resources.
  const on = f.subject.host ? `${f.subject.host.name}/` : '';
  const logical = { name: f.subject.name, fullyQualifiedName: `${on}${f.subject.kind}/${f.subject.name}/${f.location.path}`, kind: 'resource' };
  const location = loc
    ? {
        physicalLocation: {
          artifactLocation: { uri: toUri(loc.file) },
          region: { startLine: loc.line, startColumn: loc.column, ...(loc.endLine ? { endLine: loc.endLine, endColumn: loc.endColumn } : {}) },
        },
        logicalLocations: [logical],
      }
    : { logicalLocations: [logical] };
  return {
    ruleId: f.rule.id,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVEL[f.severity],
    message: { text: `${f.subject.name}${f.subject.host ? ` on ${f.subject.host.name}` : ''}: ${f.message}. Fix: ${f.remediation}` },
    locations: [location],
    partialFingerprints: { 'bulkhead/v1': fingerprint },
    properties: { severity: f.severity, 'security-severity': SECURITY_SEVERITY[f.severity] },
  };
}

/** Repo-relative, forward slashes, percent-encoded where a URI needs it. */
function toUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');
}
