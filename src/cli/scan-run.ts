import { statSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { EXIT, InputError } from '../core/errors.js';
import { subjectKey, type Subject } from '../model/subject.js';
import { assertKind } from '../inputs/scan.js';
import { auditFile, auditText, fileIO, type FileOutcome } from '../inputs/scan-file.js';
import { findFiles } from '../inputs/walk.js';
import type { Logger } from './log.js';
import { pairFormats } from './output.js';
import { makeReport, publish, type ReportFlags } from './publish.js';
import { displayName, readStdin, readTextFile } from '../inputs/read-input.js';

export interface ScanOptions extends ReportFlags {
  kind?: string;
  exclude?: string[];
  quiet: boolean;
}

/**
 * Scans files and folders. A file that cannot be read or parsed is reported
 * on stderr with its position and the others are still scanned; the exit code
 * is then 2, after the report is written.
 */
export async function scan(paths: readonly string[], opts: ScanOptions, logger: Logger): Promise<number> {
  pairFormats(opts.format ?? ['text'], opts.output ?? []); // usage errors before any work
  const kind = opts.kind === undefined ? undefined : assertKind(opts.kind);
  const folders = [...paths.filter((p) => p !== '-' && isFolder(p)).slice(0, 1), process.cwd()];
  const config = await loadConfig(opts.config, folders, readTextFile);

  const outcomes: FileOutcome[] = [];
  if (paths.includes('-')) {
    if (!kind) throw new InputError('reading stdin (-) needs --kind dockerfile|compose|kubernetes|ecs');
    outcomes.push(auditText(await readStdin(), '-', fileIO(process.env), kind));
  }
  const files = findFiles(paths.filter((p) => p !== '-'), [...(opts.exclude ?? []), ...config.exclude]).map((path) => ({ path, name: displayName(path) }));
  // One thread: worker threads were measured no faster here, since the collector already keeps the second core busy.
  const io = fileIO(process.env);
  outcomes.push(...files.map((f) => auditFile(f.path, f.name, io, kind)));

  const errors = outcomes.flatMap((o) => (o.error ? [o.error] : []));
  for (const e of errors) logger.error(e);
  const directives = new Map(outcomes.filter((o) => o.directives.length).map((o) => [o.name, o.directives]));
  const scanned = outcomes.filter((o) => o.scanned).length;
  const target = `${scanned} ${scanned === 1 ? 'file' : 'files'} with container configuration under ${paths.join(' ')}`;
  const notes = errors.length ? [`${errors.length} ${errors.length === 1 ? 'file' : 'files'} could not be scanned (see the errors above)`] : [];
  const findings = outcomes.flatMap((o) => o.findings);
  const report = makeReport(findings, uniqueSubjects(outcomes.flatMap((o) => o.subjects)), target, notes, opts, config, directives);
  await publish(report, opts, logger);
  if (errors.length) return EXIT.usage;
  return report.failed ? EXIT.findings : EXIT.clean;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function uniqueSubjects(subjects: readonly Subject[]): Subject[] {
  const seen = new Map<string, Subject>();
  for (const s of subjects) seen.set(subjectKey(s), s);
  return [...seen.values()];
}
