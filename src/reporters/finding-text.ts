/**
 * A finding's JSON exactly as `JSON.stringify(findingJson(f), null, 2)` writes
 * it at a given indentation, without building the object first. A report of
 * 10,000 containers has ~90,000 findings: stringifying an object per finding
 * and re-indenting the text was the largest part of writing it. What a rule
 * or a subject contributes is the same for each of its findings, so it is
 * written once and reused.
 */
import type { Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import type { Subject } from '../model/subject.js';

const q = JSON.stringify;

/** The text of findingJson(f) indented by `indent` (its first line unindented, as inside an array). */
export function findingText(f: Finding, indent: string): string {
  const i1 = `${indent}  `;
  const i2 = `${i1}  `;
  const rule = ruleText(f.rule, indent);
  const loc = f.location.loc;
  const location = loc
    ? `{\n${i2}"file": ${q(loc.file)},\n${i2}"line": ${num(loc.line)},\n${i2}"column": ${num(loc.column)},\n${i2}"path": ${q(f.location.path)}\n${i1}}`
    : `{\n${i2}"path": ${q(f.location.path)}\n${i1}}`;
  return (
    `{\n${rule.head}${i1}"severity": ${q(f.severity)},\n${i1}"message": ${q(f.message)},\n${rule.references}` +
    `${i1}"subject": ${subjectText(f.subject, indent)},\n${i1}"location": ${location},\n${i1}"remediation": ${q(f.remediation)}\n${indent}}`
  );
}

/** JSON writes null for a number that is not finite. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

interface RuleText {
  /** `"ruleId": …,` and `"ruleName": …,` lines. */
  readonly head: string;
  /** The `"references": [...],` line(s). */
  readonly references: string;
}

const rules = new WeakMap<Rule, { indent: string; text: RuleText }>();

function ruleText(rule: Rule, indent: string): RuleText {
  const cached = rules.get(rule);
  if (cached?.indent === indent) return cached.text;
  const i1 = `${indent}  `;
  const refs = [...rule.references, ...rule.aliases];
  const text = {
    head: `${i1}"ruleId": ${q(rule.id)},\n${i1}"ruleName": ${q(rule.name)},\n`,
    references: `${i1}"references": ${refs.length ? `[\n${refs.map((r) => `${i1}  ${q(r)}`).join(',\n')}\n${i1}]` : '[]'},\n`,
  };
  rules.set(rule, { indent, text });
  return text;
}

// A subject's findings share one subject object. They are not always together: a fleet's `web` on eight
// engines is eight subjects of one name, whose findings interleave when ordered by name, then severity.
const subjects = new WeakMap<Subject, { indent: string; text: string }>();

function subjectText(s: Subject, indent: string): string {
  const cached = subjects.get(s);
  if (cached?.indent === indent) return cached.text;
  const i2 = `${indent}    `;
  const fields = [`${i2}"kind": ${q(s.kind)}`, `${i2}"name": ${q(s.name)}`];
  if (s.id !== undefined) fields.push(`${i2}"id": ${q(s.id)}`);
  if (s.file !== undefined) fields.push(`${i2}"file": ${q(s.file)}`);
  if (s.host !== undefined) {
    const i3 = `${i2}  `;
    const host = [`${i3}"name": ${q(s.host.name)}`, ...(s.host.id === undefined ? [] : [`${i3}"id": ${q(s.host.id)}`])];
    fields.push(`${i2}"host": {\n${host.join(',\n')}\n${i2}}`);
  }
  const text = `{\n${fields.join(',\n')}\n${indent}  }`;
  subjects.set(s, { indent, text });
  return text;
}
