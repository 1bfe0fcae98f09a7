/**
 * One self-contained HTML page (no external scripts, styles, fonts or
 * images; works offline): a summary with counts by severity and a chart,
 * findings grouped by file (or by container, daemon, host when they have no
 * file), filters by severity, rule and text, and each rule's docs. Written in
 * pieces, a row at a time, so a report of 90,000 findings is never one string.
 */
import type { AuditReport } from '../core/report.js';
import { findingReferences, type Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import type { Suppression } from '../core/suppression.js';
import { SEVERITIES, rank, type Severity } from '../core/severity.js';
import { hostKey, hostLabel, subjectKey, type Subject, type SubjectHost } from '../model/subject.js';
import { attr, text } from './html-escape.js';
import { CSP, SCRIPT, STYLE } from './html-assets.js';
import { severityChart } from './html-chart.js';

const DOCS = 'https://github.com/bulkhead-security/bulkhead/blob/main/docs/rules/';
/** Above this many findings groups start closed: the page opens fast, the summary lines still give the counts. */
const OPEN_LIMIT = 2000;
const BY_SEVERITY = [...SEVERITIES].reverse();

interface Group {
  readonly name: string;
  /** What the group is: `file`, or the kind of its one subject. */
  readonly kind: string;
  readonly findings: Finding[];
  /** The engine of a fleet audit its subject is on. */
  readonly host?: SubjectHost;
}

export const ruleDocsUrl = (rule: Rule) => `${DOCS}${encodeURIComponent(rule.name)}.md`;

export function* renderHtml(report: AuditReport): Generator<string> {
  const groups = groupsOf(report.findings);
  const rules = rulesOf(report);
  const shownBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of report.findings) shownBySeverity[f.severity]++;
  const open = report.findings.length <= OPEN_LIMIT;

  yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n';
  yield `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n`;
  yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="referrer" content="no-referrer">\n';
  yield `<title>bulkhead report: ${text(report.target)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`;
  yield `<header><h1>bulkhead report</h1><p class="meta">${text(report.target)} · bulkhead ${text(report.tool.version)}`;
  if (report.started !== undefined) yield ` · <time datetime="${new Date(report.started).toISOString()}">${new Date(report.started).toISOString().replace('T', ' ').slice(0, 19)} UTC</time>`;
  yield '</p></header>\n';
  yield* summary(report, new Set(report.findings.map((f) => subjectKey(f.subject))).size);
  if (report.notes.length) yield `<section class="notes"><h2>Notes</h2><ul class="plain">${report.notes.map((n) => `<li>${text(n)}</li>`).join('')}</ul></section>\n`;

  yield `<form id="filters" class="filters" hidden><fieldset><legend>Severity</legend>`;
  for (const s of BY_SEVERITY) yield `<label><input type="checkbox" name="severity" value="${s}" checked> ${s} (${shownBySeverity[s]})</label>`;
  yield '</fieldset><label>Rule <select name="rule"><option value="">all rules</option>';
  for (const [rule, n] of rules) if (n.shown) yield `<option value="${attr(rule.id)}">${text(`${rule.id} ${rule.name}`)} (${n.shown})</option>`;
  yield `</select></label><label>Search <input type="search" name="q" placeholder="name, message, path…"></label>`;
  yield `<span class="muted"><output id="shown">${report.findings.length}</output> of ${report.findings.length} findings shown</span></form>\n`;

  yield '<main>\n<h2>Findings</h2>\n';
  if (groups.length === 0) yield '<p>No findings.</p>\n';
  let engine: string | undefined;
  for (const g of groups) {
    // A fleet audit: a header per engine (groupsOf keeps each engine's groups together).
    const here = g.host ? `engine ${hostLabel(g.host)}` : groups.some((o) => o.host) ? 'this machine' : undefined;
    if (here !== undefined && here !== engine) yield `<h3 class="engine">${text(here)}</h3>\n`;
    engine = here;
    yield `<details class="group"${open ? ' open' : ''}><summary><span class="group-name">${text(g.name)}</span> <small>(${text(g.kind)})</small>`;
    yield `<span class="group-count"><span class="visible">${g.findings.length}</span> of ${g.findings.length} · ${severityCounts(g.findings)}</span></summary>\n`;
    yield* table(asRows(g.findings));
    yield '</details>\n';
  }
  yield* clean(report);
  if (report.suppressed.length) {
    yield `<h2>Suppressed</h2>\n`;
    if (report.showSuppressed) {
      yield `<details class="group suppressed-group"${open ? ' open' : ''}><summary><span class="group-name">suppressed (an ignore, the baseline, or bulkhead's own container)</span>`;
      yield `<span class="group-count"><span class="visible">${report.suppressed.length}</span> of ${report.suppressed.length}</span></summary>\n`;
      yield* table(report.suppressed);
      yield '</details>\n';
    } else yield `<p class="muted">${report.suppressed.length} suppressed: by an ignore, the baseline, or as bulkhead's own container (--show-suppressed lists them).</p>\n`;
  }
  yield '</main>\n';
  yield* ruleDocs(rules.keys());
  yield `<script>${SCRIPT}</script>\n</body>\n</html>\n`;
}

function* summary(report: AuditReport, withFindings: number): Generator<string> {
  yield '<section class="summary" aria-label="Summary"><div><h2>Summary</h2><table class="counts"><tbody>';
  for (const s of BY_SEVERITY) yield `<tr><th><span class="sev sev-${s}">${s}</span></th><td class="count" data-count="${s}">${report.counts[s]}</td></tr>`;
  const total = SEVERITIES.reduce((n, s) => n + report.counts[s], 0);
  yield `<tr><th>total</th><td class="count" data-count="total">${total}</td></tr></tbody></table></div><div><h2>By severity</h2>${severityChart(report.counts)}</div>`;
  const gate = report.gate === 'none' ? 'never fails (--fail-on none)' : `fails on ${report.gate} or above`;
  yield `<div><h2>Outcome</h2><p class="${report.failed ? 'verdict-failed' : 'verdict-passed'}" data-failed="${report.failed}">${report.failed ? 'FAILED' : 'passed'}</p>`;
  yield `<p class="muted">${gate}<br>${report.subjects.length} audited, ${withFindings} with findings shown<br>${report.findings.length} findings shown`;
  yield `${total !== report.findings.length ? ` (--severity hides ${total - report.findings.length})` : ''}<br>${report.suppressed.length} suppressed</p></div></section>\n`;
}

function severityCounts(findings: readonly Finding[]): string {
  const n = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) n[f.severity]++;
  return BY_SEVERITY.filter((s) => n[s]).map((s) => `${n[s]} ${s}`).join(', ');
}

function* table(rows: Iterable<{ finding: Finding; suppression?: Suppression }>): Generator<string> {
  yield '<table class="findings"><thead><tr><th class="c-sev">Severity</th><th class="c-rule">Rule</th><th class="c-subject">Subject</th><th>Finding and fix</th><th class="c-where">Where</th></tr></thead><tbody>\n';
  for (const { finding, suppression } of rows) yield row(finding, suppression);
  yield '</tbody></table>\n';
}

/** Findings as table rows, one at a time: a group may hold 90,000 of them. */
function* asRows(findings: readonly Finding[]): Generator<{ finding: Finding }> {
  for (const finding of findings) yield { finding };
}

function row(f: Finding, suppression?: Suppression): string {
  const r = f.rule;
  const docs = attr(ruleDocsUrl(r));
  const loc = f.location.loc;
  const refs = findingReferences(f);
  const subject = `<span class="subject-name">${text(f.subject.name)}</span><br><small>${f.subject.kind}${f.subject.id ? ` ${text(f.subject.id.slice(0, 12))}` : ''}${f.subject.host ? ` on ${text(f.subject.host.name)}` : ''}</small>`;
  const where = loc ? `<code>${text(`${loc.file}:${loc.line}:${loc.column}`)}</code><br><code>${text(f.location.path)}</code>` : `<code>${text(f.location.path)}</code>`;
  const why = suppression
    ? `<p class="why">suppressed (${suppression.kind}) at ${text(suppression.where)}: ${text(suppression.reason)}${suppression.expires ? ` (until ${text(suppression.expires)})` : ''}</p>`
    : '';
  return (
    `<tr class="finding" data-severity="${f.severity}" data-rule="${attr(r.id)}"><td><span class="sev sev-${f.severity}">${f.severity}</span></td>` +
    `<td><a href="${docs}">${text(r.id)}</a> <a href="#rule-${attr(r.id)}">${text(r.name)}</a></td><td>${subject}</td>` +
    `<td><p class="msg">${text(f.message)}</p><p class="fix">Fix: ${text(f.remediation)}</p>` +
    // One link for all references: a URL per reference would add a fifth to a report of 90,000 findings.
    (refs.length ? `<p class="refs"><a href="${docs}">${text(refs.join(' '))}</a></p>` : '') +
    `${why}</td><td>${where}</td></tr>\n`
  );
}

function* clean(report: AuditReport): Generator<string> {
  const found = new Set<string>();
  for (const f of report.findings) found.add(subjectKey(f.subject));
  const none = report.subjects.filter((s) => !found.has(subjectKey(s)));
  if (!none.length) return;
  yield `<details class="clean"><summary>${none.length} with no findings shown</summary><ul class="plain">`;
  for (const s of none) yield `<li>${subjectLabel(s)}</li>`;
  yield '</ul></details>\n';
}

const subjectLabel = (s: Subject) => `${text(s.name)} <small>(${s.kind}${s.file && s.file !== s.name ? ` in ${text(s.file)}` : ''}${s.host ? ` on ${text(hostLabel(s.host))}` : ''})</small>`;

/** The docs of every rule with a finding, so the page explains itself offline. */
function* ruleDocs(rules: Iterable<Rule>): Generator<string> {
  const list = [...rules];
  if (!list.length) return;
  yield '<section class="rules"><h2>Rules</h2>\n';
  for (const r of list) {
    const fix = Object.entries(r.docs.remediation).map(([kind, how]) => `<dd>${text(kind)}: ${text(how as string)}</dd>`).join('');
    yield `<details id="rule-${attr(r.id)}"><summary><span class="sev sev-${r.severity}">${r.severity}</span> ${text(r.id)} ${text(r.name)}: ${text(r.docs.summary)}</summary><dl>`;
    yield `<dt>Why</dt><dd>${text(r.docs.rationale)}</dd><dt>Fix</dt>${fix}`;
    yield `<dt>References</dt><dd>${text([...r.references, ...r.aliases].join(', ') || 'none')}</dd><dt>Docs</dt><dd><a href="${attr(ruleDocsUrl(r))}">${text(`docs/rules/${r.name}.md`)}</a></dd></dl></details>\n`;
  }
  yield '</section>\n';
}

/** Files group their subjects' findings; a subject without a file is its own group. Worst first, findings worst first. */
function groupsOf(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const f of findings) {
    const s = f.subject;
    const key = s.file !== undefined ? `file\0${s.file}` : subjectKey(s);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { name: s.file ?? s.name, kind: s.file !== undefined ? 'file' : s.kind, findings: [], ...(s.host ? { host: s.host } : {}) }));
    g.findings.push(f);
  }
  const list = [...groups.values()];
  for (const g of list) g.findings.sort((a, b) => rank(b.severity) - rank(a.severity));
  const worst = (g: Group) => rank(g.findings[0]!.severity);
  // Engines in the order they were audited (this machine's subjects first), worst first within each.
  const engines = new Map<string, number>();
  for (const g of list) if (g.host && !engines.has(hostKey(g.host))) engines.set(hostKey(g.host), engines.size);
  const engine = (g: Group) => (g.host ? engines.get(hostKey(g.host))! : -1);
  return list.sort((a, b) => engine(a) - engine(b) || worst(b) - worst(a));
}

/** Every rule with a finding, shown or suppressed, by id, with how many are shown. */
function rulesOf(report: AuditReport): Map<Rule, { shown: number }> {
  const byId = new Map<string, { rule: Rule; shown: number }>();
  const add = (f: Finding, shown: number) => {
    const e = byId.get(f.rule.id);
    if (e) e.shown += shown;
    else byId.set(f.rule.id, { rule: f.rule, shown });
  };
  for (const f of report.findings) add(f, 1);
  for (const s of report.suppressed) add(s.finding, report.showSuppressed ? 1 : 0);
  const ids = [...byId.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ids.map((id) => [byId.get(id)!.rule, { shown: byId.get(id)!.shown }]));
}
