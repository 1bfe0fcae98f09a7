import { existsSync } from 'node:fs';
import { runRules } from '../core/engine.js';
import { InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import type { Subject } from '../model/subject.js';
import { RULES } from '../rules/index.js';
import { readTextFile } from './read-input.js';
import { directivesOf, type Directive } from './directives.js';
import type { InputKind } from './detect.js';
import { scanText } from './scan.js';
import type { ScanIO } from './scan-result.js';

/** What one file contributes to a scan: its findings (placed), subjects and inline ignores, or why it could not be read. */
export interface FileOutcome {
  readonly name: string;
  /** True when the file holds container configuration. */
  readonly scanned: boolean;
  readonly findings: Finding[];
  readonly subjects: Subject[];
  readonly directives: Directive[];
  readonly error?: string;
}

export const fileIO = (env: Readonly<Record<string, string | undefined>>): ScanIO => ({
  readText: (path) => (existsSync(path) ? readTextFile(path) : undefined),
  env,
});

/**
 * Reads, scans and audits one file. Rules run file by file, so a file's
 * parsed documents are dropped as soon as its findings are placed.
 */
export function auditText(text: string, name: string, io: ScanIO, kind?: InputKind): FileOutcome {
  try {
    const r = scanText(text, name, io, kind);
    return {
      name,
      scanned: r.kinds.length > 0,
      findings: runRules({ containers: r.containers, builds: r.builds }, RULES),
      subjects: [...r.containers.map((c) => c.subject), ...r.builds.map((b) => b.subject)],
      directives: directivesOf(text),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { name, scanned: false, findings: [], subjects: [], directives: [], error: e.message };
  }
}

export function auditFile(path: string, name: string, io: ScanIO, kind?: InputKind): FileOutcome {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { name, scanned: false, findings: [], subjects: [], directives: [], error: e.message };
  }
  return auditText(text, name, io, kind);
}
