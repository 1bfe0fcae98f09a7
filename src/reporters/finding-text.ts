/**
 * A finding's JSON exactly as `JSON.stringify(findingJson(f), null, 2)` writes
 * it at a given indentation, written as UTF-8 without building the object or
 * a string first. A report of 10,000 containers has ~90,000 findings:
 * stringifying an object per finding and re-indenting the text was the
 * largest part of writing it, and a string per finding (60 MB of them) the
 * next. What a rule, a subject, a severity or a remediation contributes is
 * the same for each of its findings, so it is written and encoded once and
 * its bytes reused; only the message and the location are written per finding.
 */
import { findingReferences, type Finding } from '../core/finding.js';
import type { Rule } from '../core/rule.js';
import type { Subject } from '../model/subject.js';
import type { ByteWriter } from './byte-writer.js';
import { jsonText } from './sanitize.js';

const q = (value: string) => jsonText(value);

/** Writes findingJson(f)'s text indented by `indent` (its first line unindented, as inside an array); false if it did not all fit. */
export function writeFinding(f: Finding, indent: string, out: ByteWriter): boolean {
  const parts = partsFor(indent);
  const rule = ruleBytes(f.rule, parts);
  const loc = f.location.loc;
  return (
    out.bytes(rule.head) &&
    out.bytes(severityBytes(f.severity, parts)) &&
    out.json(f.message) &&
    out.bytes(referencesBytes(f, rule, parts)) &&
    out.bytes(subjectBytes(f.subject, parts)) &&
    (loc
      ? out.bytes(parts.file) && out.json(loc.file) && out.bytes(parts.line) && out.number(loc.line) && out.bytes(parts.column) && out.number(loc.column) && out.bytes(parts.path)
      : out.bytes(parts.pathOnly)) &&
    out.json(f.location.path) &&
    out.bytes(parts.remediation) &&
    out.bytes(remediationBytes(f.remediation, parts))
  );
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The text between the values at one indentation, and the bytes of rules, subjects, severities and remediations written at it. */
interface Parts {
  readonly indent: string;
  /** `{` of the location and `"file": `. */
  readonly file: Uint8Array;
  readonly line: Uint8Array;
  readonly column: Uint8Array;
  readonly path: Uint8Array;
  /** `{` of a location with only a path, and `"path": `. */
  readonly pathOnly: Uint8Array;
  /** `}` of the location and `"remediation": `. */
  readonly remediation: Uint8Array;
  /** A severity's value and `"message": `. */
  readonly severities: Map<string, Uint8Array>;
  /** A remediation's value and the finding's `}`. */
  readonly remediations: Map<string, Uint8Array>;
  readonly rules: WeakMap<Rule, RuleBytes>;
  /**
   * A subject's findings share one subject object. They are not always together: a fleet's `web` on eight
   * engines is eight subjects of one name, whose findings interleave when ordered by name, then severity.
   */
  readonly subjects: WeakMap<Subject, Uint8Array>;
}

const byIndent = new Map<string, Parts>();

function partsFor(indent: string): Parts {
  let parts = byIndent.get(indent);
  if (!parts) {
    const i1 = `${indent}  `;
    const i2 = `${i1}  `;
    parts = {
      indent,
      file: utf8(`{\n${i2}"file": `),
      line: utf8(`,\n${i2}"line": `),
      column: utf8(`,\n${i2}"column": `),
      path: utf8(`,\n${i2}"path": `),
      pathOnly: utf8(`{\n${i2}"path": `),
      remediation: utf8(`\n${i1}},\n${i1}"remediation": `),
      severities: new Map(),
      remediations: new Map(),
      rules: new WeakMap(),
      subjects: new WeakMap(),
    };
    byIndent.set(indent, parts);
  }
  return parts;
}

function severityBytes(severity: string, parts: Parts): Uint8Array {
  let bytes = parts.severities.get(severity);
  if (!bytes) parts.severities.set(severity, (bytes = utf8(`${q(severity)},\n${parts.indent}  "message": `)));
  return bytes;
}

// Remediations are a rule's text for a kind of input: a few hundred at most, each shared by its findings.
function remediationBytes(remediation: string, parts: Parts): Uint8Array {
  let bytes = parts.remediations.get(remediation);
  if (!bytes) {
    if (parts.remediations.size >= 1_000) parts.remediations.clear(); // a caller's own texts must not grow it without end
    parts.remediations.set(remediation, (bytes = utf8(`${q(remediation)}\n${parts.indent}}`)));
  }
  return bytes;
}

interface RuleBytes {
  /** `{`, the `"ruleId"` and `"ruleName"` lines, and `"severity": `. */
  readonly head: Uint8Array;
  /** `,` after the message, the `"references"` line(s), and `"subject": `, for a finding without a CIS item of its own. */
  readonly references: Uint8Array;
  /** The same for a finding with its own CIS item, by that item (a rule covers a few dozen at most). */
  readonly byReference: Map<string, Uint8Array>;
}

function referencesBytes(f: Finding, rule: RuleBytes, parts: Parts): Uint8Array {
  if (!f.reference) return rule.references;
  let bytes = rule.byReference.get(f.reference);
  if (!bytes) rule.byReference.set(f.reference, (bytes = utf8(referencesText(findingReferences(f), `${parts.indent}  `))));
  return bytes;
}

function referencesText(refs: readonly string[], i1: string): string {
  return `,\n${i1}"references": ${refs.length ? `[\n${refs.map((r) => `${i1}  ${q(r)}`).join(',\n')}\n${i1}]` : '[]'},\n${i1}"subject": `;
}

function ruleBytes(rule: Rule, parts: Parts): RuleBytes {
  const cached = parts.rules.get(rule);
  if (cached) return cached;
  const i1 = `${parts.indent}  `;
  const bytes = {
    head: utf8(`{\n${i1}"ruleId": ${q(rule.id)},\n${i1}"ruleName": ${q(rule.name)},\n${i1}"severity": `),
    references: utf8(referencesText(findingReferences({ rule }), i1)),
    byReference: new Map<string, Uint8Array>(),
  };
  parts.rules.set(rule, bytes);
  return bytes;
}

/** The subject's object, and `"location": `. */
function subjectBytes(s: Subject, parts: Parts): Uint8Array {
  const cached = parts.subjects.get(s);
  if (cached) return cached;
  const i1 = `${parts.indent}  `;
  const i2 = `${i1}  `;
  const fields = [`${i2}"kind": ${q(s.kind)}`, `${i2}"name": ${q(s.name)}`];
  if (s.id !== undefined) fields.push(`${i2}"id": ${q(s.id)}`);
  if (s.file !== undefined) fields.push(`${i2}"file": ${q(s.file)}`);
  if (s.host !== undefined) {
    const i3 = `${i2}  `;
    const host = [`${i3}"name": ${q(s.host.name)}`, ...(s.host.id === undefined ? [] : [`${i3}"id": ${q(s.host.id)}`])];
    fields.push(`${i2}"host": {\n${host.join(',\n')}\n${i2}}`);
  }
  const bytes = utf8(`{\n${fields.join(',\n')}\n${i1}},\n${i1}"location": `);
  parts.subjects.set(s, bytes);
  return bytes;
}
