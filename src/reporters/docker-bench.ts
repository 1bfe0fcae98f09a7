import type { AuditReport } from '../core/report.js';
import { findingCisItems, type Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import { hostLabel, type Subject } from '../model/subject.js';
import { jsonText } from './sanitize.js';

/** The version of docker-bench-security whose log shape and CIS numbering (v1.6.0) this follows. */
const DOCKER_BENCH_VERSION = '1.6.0';

/** docker-bench-security's section titles, by the first number of a CIS item. */
const SECTION_TITLES: Readonly<Record<string, string>> = {
  '1': 'Host Configuration',
  '2': 'Docker daemon configuration',
  '3': 'Docker daemon configuration files',
  '4': 'Container Images and Build File',
  '5': 'Container Runtime',
  '6': 'Docker Security Operations',
  '7': 'Docker Swarm Configuration',
};

/** At most this many distinct messages make a result's details; the count says how many more there were. */
const DETAILS_MESSAGES = 10;

type Result = 'PASS' | 'WARN' | 'INFO';

interface CheckResult {
  id: string;
  desc: string;
  result: Result;
  details?: string;
  items?: string[];
  remediation?: string;
}

/**
 * docker-bench-security's JSON log (`-l FILE` writes it beside its text
 * output): tests per CIS section, a result per CIS item, the number of checks
 * and the score (+1 per scored PASS, -1 per scored WARN), so pipelines that
 * read `.score` or a check's `result` switch over unchanged. Unlike the
 * original it is valid JSON whatever the names contain. An item is WARN when
 * a finding is about it, PASS when every rule that checks it ran and found
 * nothing; info-severity rules (the benchmark's manual items) give INFO and
 * no score. Items no rule of this audit checked are left out, as
 * docker-bench leaves out the sections it skips.
 */
export function renderDockerBench(report: AuditReport): string[] {
  const checked = report.checked ?? [];
  const byItem = new Map<string, { rules: Rule[]; findings: Finding[] }>();
  const entry = (item: string) => {
    let e = byItem.get(item);
    if (!e) byItem.set(item, (e = { rules: [], findings: [] }));
    return e;
  };
  for (const rule of checked) for (const item of cisItems(rule.references)) entry(item).rules.push(rule);
  for (const f of report.findings) {
    for (const item of cisItems(findingCisItems(f))) entry(item).findings.push(f);
  }

  const results = [...byItem.entries()].filter(([, e]) => e.rules.length > 0).sort(([a], [b]) => compareItems(a, b));
  const tests: { id: string; desc: string; results: CheckResult[] }[] = [];
  let score = 0;
  for (const [item, { rules, findings }] of results) {
    const scored = rules.some((r) => r.severity !== 'info');
    const result: Result = findings.length === 0 ? (scored ? 'PASS' : 'INFO') : scored && findings.some((f) => f.severity !== 'info') ? 'WARN' : 'INFO';
    if (scored && result === 'PASS') score++;
    if (result === 'WARN') score--;
    const section = item.split('.')[0]!;
    let test = tests.at(-1);
    if (test?.id !== section) tests.push((test = { id: section, desc: SECTION_TITLES[section] ?? `Section ${section}`, results: [] }));
    test.results.push({
      id: item,
      desc: rules.map((r) => r.docs.summary).join(' '),
      result,
      ...(findings.length ? { details: details(findings), items: unique(findings.map((f) => itemName(f.subject))), remediation: unique(findings.map((f) => f.remediation)).join('; ') } : {}),
    });
  }
  const doc = {
    dockerbenchsecurity: DOCKER_BENCH_VERSION,
    start: Math.floor((report.started ?? Date.now()) / 1000),
    tests,
    checks: results.length,
    score,
    end: Math.floor(Date.now() / 1000),
  };
  return [jsonText(doc, 2) + '\n'];
}

/** The CIS items a list of references names (`CIS-5.5` → `5.5`). */
function cisItems(references: readonly string[]): string[] {
  return references.filter((r) => r.startsWith('CIS-')).map((r) => r.slice(4));
}

/** 1.1.10 after 1.1.9: numerically, part by part. */
function compareItems(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function details(findings: readonly Finding[]): string {
  const messages = unique(findings.map((f) => `${itemName(f.subject)}: ${f.message}`));
  const shown = messages.slice(0, DETAILS_MESSAGES).join('; ');
  return messages.length > DETAILS_MESSAGES ? `${shown}; and ${messages.length - DETAILS_MESSAGES} more` : shown;
}

/**
 * A result's item: the subject's name, as docker-bench lists containers and
 * images; in a report of several hosts `web on NAME ID`, so two engines'
 * `web` stay two items (the log has no other place for a host).
 */
function itemName(s: Subject): string {
  return s.host ? `${s.name} on ${hostLabel(s.host)}` : s.name;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
