/**
 * A baseline: the findings a team has accepted for now, by fingerprint, so a
 * run with `--baseline FILE` reports only what is new. The file is JSON a
 * reviewer can read: each entry keeps the rule, subject, path and message it
 * was made from.
 */
import { InputError } from './errors.js';
import { parseJsonFile } from '../inputs/json/parse-json.js';
import { jsonText } from '../reporters/sanitize.js';
import { fingerprintOf } from './fingerprint.js';
import { readJsonReport } from './report-json.js';

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly subject: string;
  readonly path: string;
  readonly message: string;
}

export interface Baseline {
  readonly file: string;
  readonly entries: readonly BaselineEntry[];
}

const FINGERPRINT = /^[0-9a-f]{32}$/;

/** Reads a baseline file written by `bulkhead baseline create`; anything else is an InputError naming the file. */
export function parseBaseline(text: string, file: string): Baseline {
  const doc = parseJsonFile(text, file, 'not a bulkhead baseline');
  const d = doc as { kind?: unknown; schemaVersion?: unknown; findings?: unknown };
  if (typeof doc !== 'object' || doc === null || d.kind !== 'bulkhead-baseline') throw new InputError(`${file}: not a bulkhead baseline (no "kind": "bulkhead-baseline"; make one with bulkhead baseline create)`);
  if (d.schemaVersion !== 1) throw new InputError(`${file}: baseline schemaVersion ${JSON.stringify(d.schemaVersion)} is not one this bulkhead reads (1)`);
  if (!Array.isArray(d.findings)) throw new InputError(`${file}: baseline has no "findings" list`);
  const entries = d.findings.map((e: unknown, i: number) => {
    const fp = (e as { fingerprint?: unknown })?.fingerprint;
    if (typeof fp !== 'string' || !FINGERPRINT.test(fp)) throw new InputError(`${file}: findings[${i}] has no valid fingerprint (32 hex digits)`);
    const s = (k: string) => String((e as Record<string, unknown>)[k] ?? '');
    return { fingerprint: fp, ruleId: s('ruleId'), ruleName: s('ruleName'), subject: s('subject'), path: s('path'), message: s('message') };
  });
  return { file, entries };
}

/** The baseline of a bulkhead JSON report (`scan -f json`, `audit -f json`): every finding it shows. */
export function baselineOfReport(text: string, from: string): BaselineEntry[] {
  return readJsonReport(text, from).findings.map((f) => ({
    fingerprint: fingerprintOf({ ruleId: f.ruleId, subject: f.subject, path: f.location.path }),
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    subject: `${f.subject.kind} ${f.subject.name}${f.subject.file === undefined ? '' : ` (${f.subject.file})`}${f.subject.host === undefined ? '' : ` on ${f.subject.host.name}`}`,
    path: f.location.path,
    message: f.message,
  }));
}

/** The baseline file's text: sorted so that two baselines of one state are the same file, and a diff of two is readable. */
export function renderBaseline(entries: readonly BaselineEntry[], created: Date = new Date()): string {
  const sorted = [...entries].sort((a, b) => cmp(a.subject, b.subject) || cmp(a.ruleId, b.ruleId) || cmp(a.path, b.path) || cmp(a.fingerprint, b.fingerprint));
  // A file people review in a diff or a pager: DEL and C1 from a report's text as \u escapes.
  return jsonText({ kind: 'bulkhead-baseline', schemaVersion: 1, created: created.toISOString(), findings: sorted }, 2) + '\n';
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
