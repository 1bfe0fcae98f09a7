import { existsSync, statSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { directivesOf, type Directive } from '../inputs/directives.js';
import { runRules } from '../core/engine.js';
import { EXIT, InputError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { subjectKey, type Subject } from '../model/subject.js';
import { assertKind, scanText } from '../inputs/scan.js';
import type { ScanIO } from '../inputs/scan-result.js';
import { findFiles } from '../inputs/walk.js';
import { RULES } from '../rules/index.js';
import type { Logger } from './log.js';
import { pairFormats } from './output.js';
import { makeReport, publish, type ReportFlags } from './publish.js';
import { displayName, readStdin, readTextFile } from './read-input.js';

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
  const io: ScanIO = {
    readText: (path) => (existsSync(path) ? readTextFile(path) : undefined),
    env: process.env,
  };
  const folders = [...paths.filter((p) => p !== '-' && isFolder(p)).slice(0, 1), process.cwd()];
  const config = await loadConfig(opts.config, folders, readTextFile);
  // Rules run file by file: a file's parsed documents are dropped as soon as its findings are placed.
  const findings: Finding[] = [];
  const subjects: Subject[] = [];
  const directives = new Map<string, Directive[]>();
  const errors: string[] = [];
  let scanned = 0;

  const scanOne = (text: string, name: string) => {
    try {
      const r = scanText(text, name, io, kind);
      if (r.kinds.length) scanned++;
      const found = directivesOf(text);
      if (found.length) directives.set(name, found);
      findings.push(...runRules({ containers: r.containers, builds: r.builds }, RULES));
      subjects.push(...r.containers.map((c) => c.subject), ...r.builds.map((b) => b.subject));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.message);
      logger.error(e.message);
    }
  };

  if (paths.includes('-')) {
    if (!kind) throw new InputError('reading stdin (-) needs --kind dockerfile|compose|kubernetes|ecs');
    scanOne(await readStdin(), '-');
  }
  const files = findFiles(paths.filter((p) => p !== '-'), [...(opts.exclude ?? []), ...config.exclude]);
  for (const file of files) {
    const name = displayName(file);
    let text: string;
    try {
      text = readTextFile(file);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e.message);
      logger.error(e.message);
      continue;
    }
    scanOne(text, name);
  }


  const target = `${scanned} ${scanned === 1 ? 'file' : 'files'} with container configuration under ${paths.join(' ')}`;
  const notes = errors.length ? [`${errors.length} ${errors.length === 1 ? 'file' : 'files'} could not be scanned (see the errors above)`] : [];
  const report = makeReport(findings, uniqueSubjects(subjects), target, notes, opts, config, directives);
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
