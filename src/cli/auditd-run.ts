import { readFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { EXIT, IncompleteError } from '../core/errors.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import { HostRoot } from '../linux/host-root.js';
import { jsonText, plain } from '../reporters/sanitize.js';
import { checkWatches, type CheckRow, type Coverage } from '../harden/auditd/check.js';
import { dockerRootDir } from '../harden/auditd/docker-root.js';
import { loadRules } from '../harden/auditd/load.js';
import { defaultLogs, report, userNames } from '../harden/auditd/report.js';
import { RULES_DIR, rulesFileText } from '../harden/auditd/rules-file.js';
import { parseSince } from '../harden/auditd/since.js';
import { ruleLine, wantedWatches, type SkippedPath } from '../harden/auditd/wanted.js';
import type { CheckOptions, GenerateOptions, ReportCliOptions } from './auditd.js';
import { log } from './log.js';
import { writeAtomically } from './output.js';

/** auditd's own files are 0640 (root's, the adm group may read them); the rules say what is watched, so the same. */
const RULES_MODE = 0o640;

const skippedNote = (s: SkippedPath) => `skipped CIS ${s.item} ${s.path} (${s.what}): ${s.why}`;

/** `bulkhead auditd generate [--install]`: the rules on stdout; with --install written and loaded. */
export async function generate(opts: GenerateOptions): Promise<number> {
  const logger = log(opts.quiet);
  const root = new HostRoot(opts.root);
  const dockerRoot = await dockerRootDir(resolveEndpoint(opts.host), logger.warn);
  const { wanted, skipped } = wantedWatches(root, dockerRoot, logger.warn);
  for (const s of skipped) logger.warn(skippedNote(s));
  const text = rulesFileText(wanted);
  process.stdout.write(text);

  const file = posix.resolve('/', opts.rulesFile);
  const local = root.root === '/' ? file : posix.join(root.root, file);
  const existing = readIfThere(local);
  const where = root.root === '/' ? file : `${file} under ${root.root}`;
  if (existing !== undefined && existing !== text) {
    process.stderr.write(plain(createTwoFilesPatch(`${file} (now)`, `${file} (generated)`, existing, text), true));
  }
  if (!opts.install) {
    logger.info(existing === text ? `${where} already holds these rules` : `would write ${wanted.length} rules to ${where}${existing === undefined ? '' : ', replacing it (diff above)'}: run with --install to write and load them`);
    return EXIT.clean;
  }
  // Written even when the text is the same: the mode is then 0640 whatever it was.
  await writeAtomically(local, [text], RULES_MODE);
  logger.info(existing === text ? `${where} already holds these rules (mode set to 0640)` : `wrote ${wanted.length} rules to ${where} (mode 0640)`);
  if (root.root !== '/') {
    logger.info(`not loaded: under --root the kernel here is not that host's; on it, run augenrules --load`);
    return EXIT.clean;
  }
  const loaded = await loadRules(file, text, dirname(file) === RULES_DIR, wanted.map((w) => ruleLine(w.path)));
  if (!loaded.ok) throw new IncompleteError(`wrote ${file}, but loading it (${loaded.how}) failed: ${loaded.why}`);
  logger.info(`loaded into the kernel with ${loaded.how}`);
  return EXIT.clean;
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IncompleteError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** `bulkhead auditd check`: wanted against loaded against configured. */
export async function check(opts: CheckOptions): Promise<number> {
  const logger = log(opts.quiet);
  const root = new HostRoot(opts.root);
  const dockerRoot = await dockerRootDir(resolveEndpoint(opts.host), logger.warn);
  const result = await checkWatches(root, dockerRoot, logger.warn);
  const missing = (c: Coverage) => c.state === 'no' || c.state === 'partial';
  const incomplete = result.unreadable !== undefined || result.rows.some((r) => r.configured.state === 'unknown');
  const failing = result.rows.filter((r) => missing(r.loaded) || missing(r.configured));
  const code = incomplete ? EXIT.incomplete : failing.length > 0 ? EXIT.findings : EXIT.clean;

  if (opts.format === 'json') {
    const doc = { rows: result.rows, skipped: result.skipped, ...(result.unreadable ? { loadedUnreadable: result.unreadable } : {}), exitCode: code };
    process.stdout.write(jsonText(doc, 2) + '\n');
    return code;
  }
  for (const s of result.skipped) logger.warn(skippedNote(s));
  const width = Math.max(4, ...result.rows.map((r) => r.path.length));
  const lines = [`${'CIS'.padEnd(7)} ${'PATH'.padEnd(width)}  ${'LOADED'.padEnd(12)}  CONFIGURED`];
  for (const r of result.rows) lines.push(`${r.item.padEnd(7)} ${plain(r.path).padEnd(width)}  ${cell(r.loaded).padEnd(12)}  ${cell(r.configured)}`);
  const reasons = new Set(result.rows.flatMap((r) => [r.loaded, r.configured]).flatMap((c) => ('why' in c && c.why ? [c.why] : [])));
  for (const why of reasons) lines.push(`note: ${plain(why)}`);
  lines.push(summaryLine(result.rows, failing, incomplete));
  process.stdout.write(lines.join('\n') + '\n');
  return code;
}

/** yes (rwxa): w and a recorded; partial (x): watched, but a kind of change is not; no; unknown: not read. */
function cell(c: Coverage): string {
  return c.state === 'yes' || c.state === 'partial' ? `${c.state} (${c.permissions})` : c.state;
}

function summaryLine(rows: readonly CheckRow[], failing: readonly CheckRow[], incomplete: boolean): string {
  if (incomplete) return `incomplete: not every rule set could be read (the notes above say why); in those that could, ${failing.length} of ${rows.length} paths are not watched for w and a`;
  if (failing.length === 0) return `all ${rows.length} paths are watched for content and owner/mode changes (w and a)`;
  return `${failing.length} of ${rows.length} paths are not watched for content and owner/mode changes (w and a) in the kernel or the rule files: bulkhead auditd generate --install`;
}

/** `bulkhead auditd report`: the log's keyed events, readable, then counts. */
export async function reportLog(opts: ReportCliOptions): Promise<number> {
  const logger = log(opts.quiet);
  const root = new HostRoot(opts.root);
  const since = opts.since === undefined ? undefined : parseSince(opts.since);
  const logs = opts.log !== undefined ? [opts.log] : defaultLogs(root);
  let buffered = '';
  const flush = () => new Promise<void>((resolve, reject) => process.stdout.write(buffered, (e) => (e ? reject(e) : resolve())));
  const done = await report({ logs, key: opts.key, ...(since !== undefined ? { since } : {}), format: opts.format, names: userNames(root) }, async (text) => {
    buffered += text;
    if (buffered.length < 1 << 16) return;
    await flush();
    buffered = '';
  });
  if (buffered) await flush();
  if (done.malformed > 0) {
    const first = done.firstMalformed ? ` (the first at ${done.firstMalformed.file}:${done.firstMalformed.line})` : '';
    logger.warn(`skipped ${done.malformed} ${done.malformed === 1 ? 'line that is' : 'lines that are'} not audit records${first}`);
  }
  return EXIT.clean;
}
