import { statSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { progress } from './progress.js';
import { applicable } from '../core/sections.js';
import { RULES } from '../rules/index.js';
import { EXIT, InputError } from '../core/errors.js';
import { assertKind } from '../inputs/scan.js';
import { auditText, fileIO, type FileOutcome } from '../inputs/scan-file.js';
import { scanPaths } from '../inputs/scan-folder.js';
import type { Logger } from './log.js';
import { pairFormats } from './output.js';
import { loadBaseline, makeReport, publish, type ReportFlags } from './publish.js';
import { readStdin, readTextFile } from '../inputs/read-input.js';

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
  const baseline = loadBaseline(opts);

  const stdin: FileOutcome[] = [];
  if (paths.includes('-')) {
    if (!kind) throw new InputError('reading stdin (-) needs --kind dockerfile|compose|kubernetes|ecs');
    stdin.push(auditText(await readStdin(), '-', fileIO(process.env), kind));
  }
  const scanned = await scanPaths(
    paths.filter((p) => p !== '-'),
    [...(opts.exclude ?? []), ...config.exclude],
    kind,
    stdin,
    progress(opts.quiet),
  );
  const errors = scanned.errors;
  for (const e of errors) logger.error(e);
  const target = `${scanned.scanned} ${scanned.scanned === 1 ? 'file' : 'files'} with container configuration under ${paths.join(' ')}`;
  const notes = errors.length ? [`${errors.length} ${errors.length === 1 ? 'file' : 'files'} could not be scanned (see the errors above)`] : [];
  const report = {
    ...makeReport(scanned.findings, scanned.subjects, target, notes, opts, config, { directives: scanned.directives, ...(baseline ? { baseline } : {}) }),
    // What a scan runs: the rules that read containers and builds, the facts configuration gives.
    checked: applicable(RULES, { containers: [] }),
  };
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
