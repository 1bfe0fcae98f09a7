import type { Finding } from './finding.js';
import type { Report, Rule } from './rule.js';
import { rank } from './severity.js';
import type { Container, SourceKind } from '../model/container.js';
import type { Workload } from '../model/workload.js';
import type { Loc } from '../model/value.js';
import { parentPath } from '../model/path.js';
import { applicable } from './sections.js';

/** Runs every rule whose needs the workload meets and returns the findings, most severe first within each subject. */
export function runRules(workload: Workload, rules: readonly Rule[]): Finding[] {
  return ordered(placedFindings(workload, rules));
}

/** The findings of the rules whose needs the workload meets, placed in their files, in no particular order. */
export function placedFindings(workload: Workload, rules: readonly Rule[]): Finding[] {
  const reports: { rule: Rule; report: Report }[] = [];
  for (const rule of applicable(rules, workload)) {
    rule.check({ workload, report: (report) => reports.push({ rule, report }) });
  }
  const locs = locateAll(reports.map((r) => r.report));
  return reports.map(({ rule, report }, i) => toFinding(rule, report, locs[i]));
}

/** Ordered by subject name, then most severe first, rule id, path. */
export function ordered(findings: readonly Finding[]): Finding[] {
  // Findings are bucketed by name first: sorting 90,000 findings of 10,000 containers whole compares their names a million times.
  const byName = new Map<string, Finding[]>();
  for (const f of findings) {
    const bucket = byName.get(f.subject.name);
    if (bucket) bucket.push(f);
    else byName.set(f.subject.name, [f]);
  }
  const within = (a: Finding, b: Finding) => rank(b.severity) - rank(a.severity) || compare(a.rule.id, b.rule.id) || compare(a.location.path, b.location.path);
  // Filled in place: flatMap grew its result an element at a time, a large array copied again and again.
  const out = new Array<Finding>(findings.length);
  let at = 0;
  for (const name of [...byName.keys()].sort(compare)) for (const f of byName.get(name)!.sort(within)) out[at++] = f;
  return out;
}

/** Code-unit order: stable across machines and locales, and much faster than localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toFinding(rule: Rule, r: Report, loc: Loc | undefined): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    rule,
    severity: r.severity ?? rule.severity,
    message: r.message,
    subject: r.subject,
    location: loc ? { path: r.at.path, loc } : { path: r.at.path },
    // A finding about an image with no container behind it comes from a Dockerfile's build.
    remediation: remediationFor(rule, r.container?.source.kind ?? (r.subject.kind === 'image' ? 'dockerfile' : undefined)),
  };
  // Set when there, not spread in: spreading an object literal per finding (88,000 for 10,000 containers) cost ~25 ms.
  if (r.reference) finding.reference = r.reference;
  if (r.container?.source.ignores?.length) finding.sourceIgnores = r.container.source.ignores;
  return finding;
}

/**
 * Places every report in its container's file, one locator call per
 * container: the places, by the reports' order. A path that is not in the
 * file (a default nobody wrote) falls back to the nearest parent that is.
 */
function locateAll(reports: readonly Report[]): (Loc | undefined)[] {
  const out = new Array<Loc | undefined>(reports.length);
  // Each container's reports, by their index.
  const byContainer = new Map<Container, number[]>();
  reports.forEach((r, i) => {
    // A loc with no file is a position in a text that is not a file (an argv, an image's history): the path says where.
    if (r.at.loc) {
      if (r.at.loc.file !== '') out[i] = r.at.loc;
    } else if (r.container?.source.locate) {
      const list = byContainer.get(r.container);
      if (list) list.push(i);
      else byContainer.set(r.container, [i]);
    }
  });
  // Containers share most paths (every one is asked about HostConfig.Privileged…): one chain per path.
  const chains = new Map<string, readonly string[]>();
  const chainOf = (path: string) => {
    let chain = chains.get(path);
    if (!chain) chains.set(path, (chain = ancestry(path)));
    return chain;
  };
  for (const [container, list] of byContainer) {
    const wanted = new Set<string>();
    for (const i of list) for (const p of chainOf(reports[i]!.at.path)) wanted.add(p);
    const placed = container.source.locate!([...wanted]);
    for (const i of list) {
      for (const p of chainOf(reports[i]!.at.path)) {
        const loc = placed.get(p);
        if (loc) {
          out[i] = loc;
          break;
        }
      }
    }
  }
  return out;
}

/** The path, then its parents up to the root: `A.B[2]`, `A.B`, `A`, ''. */
function ancestry(path: string): string[] {
  const chain: string[] = [];
  for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) chain.push(p);
  return chain;
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
    case 'image':
      // An image is fixed where it is built.
      return r.dockerfile ?? r.docker;
    default:
      return r.docker;
  }
}

