import type { Finding } from '../core/finding.js';
import { subjectKey, type Subject } from '../model/subject.js';
import type { Directive } from './directives.js';
import type { InputKind } from './detect.js';
import { displayName } from './read-input.js';
import { auditFile, fileIO, type FileOutcome } from './scan-file.js';
import { findFiles } from './walk.js';
import { NO_PROGRESS, type Progress } from '../core/progress.js';
import { letSignalsIn } from '../core/signals.js';

/** What a scan of files and folders found, ready for a report. */
export interface Scanned {
  readonly findings: Finding[];
  readonly subjects: Subject[];
  /** Inline ignores by file. */
  readonly directives: ReadonlyMap<string, readonly Directive[]>;
  /** One line per file that could not be read or parsed. */
  readonly errors: string[];
  /** How many files held container configuration. */
  readonly scanned: number;
}

/** Finds and audits every container configuration under the paths (what `bulkhead scan` and `audit`'s config section do). */
export async function scanPaths(paths: readonly string[], excludes: readonly string[], kind?: InputKind, before: readonly FileOutcome[] = [], progress: Progress = NO_PROGRESS): Promise<Scanned> {
  const unreadable: string[] = [];
  const files = findFiles(paths, excludes, process.cwd(), (problem) => unreadable.push(problem)).map((path) => ({ path, name: displayName(path) }));
  const io = fileIO(process.env);
  const step = progress.step('files', files.length);
  // One thread: worker threads were measured no faster here, since the collector already keeps the second core busy.
  const outcomes = [...before];
  for (const [i, f] of files.entries()) {
    step.tick(i);
    outcomes.push(auditFile(f.path, f.name, io, kind));
    await letSignalsIn();
  }
  step.end();
  return {
    findings: outcomes.flatMap((o) => o.findings),
    subjects: uniqueSubjects(outcomes.flatMap((o) => o.subjects)),
    directives: new Map(outcomes.filter((o) => o.directives.length).map((o) => [o.name, o.directives])),
    errors: [...unreadable, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))],
    scanned: outcomes.filter((o) => o.scanned).length,
  };
}

function uniqueSubjects(subjects: readonly Subject[]): Subject[] {
  const seen = new Map<string, Subject>();
  for (const s of subjects) seen.set(subjectKey(s), s);
  return [...seen.values()];
}
