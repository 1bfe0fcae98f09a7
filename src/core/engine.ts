import type { Finding } from './finding.js';
import type { Report, Rule } from './rule.js';
import { rank } from './severity.js';
import type { Container, SourceKind } from '../model/container.js';
import type { Workload } from '../model/workload.js';
import type { Loc } from '../model/value.js';
import { parentPath } from '../model/path.js';

/** Runs every rule whose needs the workload meets and returns the findings, most severe first within each subject. */
export function runRules(workload: Workload, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (rule.needs.includes('daemon') && !workload.daemon) continue;
    rule.check({
      workload,
      report: (r) => findings.push(toFinding(rule, r)),
    });
  }
  return findings.sort(
    (a, b) =>
      a.subject.name.localeCompare(b.subject.name) ||
      rank(b.severity) - rank(a.severity) ||
      a.rule.id.localeCompare(b.rule.id) ||
      a.location.path.localeCompare(b.location.path),
  );
}

function toFinding(rule: Rule, r: Report): Finding {
  const loc = r.at.loc ?? (r.container ? locate(r.container, r.at.path) : undefined);
  return {
    rule,
    severity: r.severity ?? rule.severity,
    message: r.message,
    subject: r.subject,
    location: loc ? { path: r.at.path, loc } : { path: r.at.path },
    remediation: remediationFor(rule, r.container?.source.kind),
  };
}

/** The fix in the terms of the input the fact came from: a compose key for compose, a field for Kubernetes. */
function remediationFor(rule: Rule, kind: SourceKind | undefined): string {
  const r = rule.docs.remediation;
  switch (kind) {
    case 'compose':
    case 'kubernetes':
    case 'ecs':
    case 'dockerfile':
      return r[kind] ?? r.docker;
    default:
      return r.docker;
  }
}

/** The position of `path` in the container's file, falling back to the nearest parent that has one. */
function locate(container: Container, path: string): Loc | undefined {
  const locator = container.source.locate;
  if (!locator) return undefined;
  for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
    const loc = locator(p);
    if (loc) return loc;
  }
  return undefined;
}

