/**
 * JUnit XML for CI dashboards (Jenkins, GitLab, Azure DevOps): one test suite
 * per file of configuration, or per audited subject that has no file (a
 * container, the daemon, the host); one test case per rule that judged each
 * subject, failing with every finding of that rule on it, skipped when an
 * ignore or the baseline suppressed them. Findings hidden by --severity are
 * not in the report, so their test cases pass. In a report of several hosts
 * (a fleet audit, a merged report) a subject's suite name and test cases'
 * classname lead with its host (`NAME ID: web (container)`), and the suite
 * has a `host` property: two engines' `web` are two suites, and dashboards
 * that key test cases by classname and name keep both.
 */
import { findingReferences, type Finding } from '../core/finding.js';
import type { AuditReport } from '../core/report.js';
import type { Rule } from '../core/rule.js';
import { judges } from '../core/subject-rules.js';
import type { SuppressedFinding } from '../core/suppression.js';
import { hostKey, hostLabel, subjectKey, type Subject, type SubjectHost } from '../model/subject.js';
import { plain } from './sanitize.js';

interface Suite {
  readonly name: string;
  readonly host?: SubjectHost;
  readonly subjects: Subject[];
}

interface Outcome {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

export function* renderJunit(report: AuditReport): Generator<string> {
  const outcomes = new Map<string, Outcome>();
  const outcome = (subject: Subject, rule: Rule) => {
    const key = `${subjectKey(subject)}\0${rule.id}`;
    let o = outcomes.get(key);
    if (!o) outcomes.set(key, (o = { findings: [], suppressed: [] }));
    return o;
  };
  for (const f of report.findings) outcome(f.subject, f.rule).findings.push(f);
  for (const s of report.suppressed) outcome(s.finding.subject, s.finding.rule).suppressed.push(s);

  // Every rule that ran, and any rule with a finding (the config section's rules in a host audit run on their own).
  const rules = new Map<string, Rule>((report.checked ?? []).map((r) => [r.id, r]));
  for (const f of [...report.findings, ...report.suppressed.map((s) => s.finding)]) rules.set(f.rule.id, f.rule);
  const ordered = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const suites = suitesOf([...report.subjects, ...report.findings.map((f) => f.subject), ...report.suppressed.map((s) => s.finding.subject)]);
  // Each subject's test cases with their outcome, looked up once.
  const cases = suites.map((suite) =>
    suite.subjects.flatMap((subject) => {
      const key = subjectKey(subject);
      return ordered.flatMap((rule) => {
        const o = outcomes.get(`${key}\0${rule.id}`);
        return o || judges(rule, subject.kind) ? [{ subject, rule, o }] : [];
      });
    }),
  );
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const counted = cases.map((list) => {
    const c = { tests: list.length, failures: 0, skipped: 0 };
    for (const { o } of list) {
      if (o?.findings.length) c.failures++;
      else if (o?.suppressed.length) c.skipped++;
    }
    tests += c.tests;
    failures += c.failures;
    skipped += c.skipped;
    return c;
  });

  const timestamp = new Date(report.started ?? Date.now()).toISOString().slice(0, 19);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="bulkhead" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n`;
  for (const [i, suite] of suites.entries()) {
    const c = counted[i]!;
    yield `  <testsuite name="${attr(suite.name)}" tests="${c.tests}" failures="${c.failures}" errors="0" skipped="${c.skipped}" time="0" timestamp="${timestamp}">\n`;
    const properties = [
      ...(i === 0 ? [['target', report.target], ['bulkhead.version', report.tool.version]] : []),
      ...(suite.host ? [['host', hostLabel(suite.host)]] : []),
    ];
    if (properties.length) yield `    <properties>\n${properties.map(([n, v]) => `      <property name="${n}" value="${attr(v!)}"/>\n`).join('')}    </properties>\n`;
    for (const { subject, rule, o } of cases[i]!) {
      const name = `name="${attr(`${rule.id} ${rule.name}`)}" classname="${attr(onHost(subject.host, subject.name))}" time="0"`;
      if (o?.findings.length) {
        const first = o.findings[0]!;
        yield `    <testcase ${name}>\n      <failure message="${attr(first.message)}" type="${first.severity}">${text(o.findings.map(describe).join('\n\n'))}</failure>\n    </testcase>\n`;
      } else if (o?.suppressed.length) {
        const s = o.suppressed[0]!.suppression;
        yield `    <testcase ${name}>\n      <skipped message="${attr(`suppressed (${s.kind}): ${s.reason} [${s.where}]`)}"/>\n    </testcase>\n`;
      } else yield `    <testcase ${name}/>\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
}

/** Subjects from one file (of one host) share its suite; the others have one each. In the order first seen. */
function suitesOf(subjects: readonly Subject[]): Suite[] {
  const suites = new Map<string, Suite>();
  const seen = new Set<string>();
  for (const s of subjects) {
    const key = subjectKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    const suiteKey = s.file !== undefined ? `file\0${s.host ? hostKey(s.host) : ''}\0${s.file}` : key;
    let suite = suites.get(suiteKey);
    if (!suite) suites.set(suiteKey, (suite = { name: onHost(s.host, s.file ?? `${s.name} (${s.kind})`), ...(s.host ? { host: s.host } : {}), subjects: [] }));
    suite.subjects.push(s);
  }
  return [...suites.values()];
}

/** A name led by its host's label when it has one (a report of several hosts). */
const onHost = (host: SubjectHost | undefined, name: string) => (host ? `${hostLabel(host)}: ${name}` : name);

function describe(f: Finding): string {
  const loc = f.location.loc;
  const at = loc ? `${loc.file}:${loc.line}:${loc.column} ${f.location.path}` : f.location.path;
  return `${f.severity.toUpperCase()} ${f.rule.id} ${f.rule.name}: ${f.message}\nat ${at}\nfix: ${f.remediation}\nreferences: ${findingReferences(f).join(', ')}`;
}

/**
 * Text that came from containers and files, made safe for XML 1.0: terminal
 * escapes and control characters removed (XML cannot carry most of them even
 * escaped), lone surrogates replaced, markup characters escaped.
 */
function xmlSafe(s: string, keepNewlines: boolean): string {
  return plain(s, keepNewlines)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const attr = (s: string) => xmlSafe(s, false).replace(/"/g, '&quot;');
const text = (s: string) => xmlSafe(s, true);
