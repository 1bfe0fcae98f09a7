import { runRules } from '../core/engine.js';
import { EXIT } from '../core/errors.js';
import type { AuditReport } from '../core/report.js';
import { SEVERITIES, atLeast, type Severity } from '../core/severity.js';
import { containersFromInspectText } from '../inputs/inspect/read.js';
import { fetchWorkload } from '../inputs/engine/fetch.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import type { Workload } from '../model/workload.js';
import type { Subject } from '../model/subject.js';
import { RULES } from '../rules/index.js';
import { renderJson } from '../reporters/json.js';
import { renderText } from '../reporters/text.js';
import { pairFormats, useColor, writeAtomically } from './output.js';
import { readInput } from './read-input.js';
import type { Logger } from './log.js';
import { VERSION } from './version.js';
import type { AuditOptions } from './audit-options.js';

export async function audit(opts: AuditOptions, logger: Logger): Promise<number> {
  const outputs = pairFormats(opts.format ?? ['text'], opts.output ?? []);
  const { workload, target, notes } = await load(opts, logger);

  const all = runRules(workload, RULES);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, all.filter((f) => f.severity === s).length])) as Record<Severity, number>;
  const shown = opts.severity ? all.filter((f) => opts.severity!.includes(f.severity)) : all;
  const failed = opts.failOn !== 'none' && all.some((f) => atLeast(f.severity, opts.failOn as Severity));
  const subjects: Subject[] = workload.containers.map((c) => c.subject);
  const report: AuditReport = {
    tool: { name: 'bulkhead', version: VERSION },
    target,
    subjects,
    findings: shown,
    counts,
    gate: opts.failOn,
    failed,
    notes,
  };

  for (const { format, file } of outputs) {
    const text =
      format === 'json' ? renderJson(report) : format === 'sarif' ? (await import('../reporters/sarif.js')).renderSarif(report) : renderText(report, useColor(opts.color, file !== undefined));
    if (file) {
      writeAtomically(file, text);
      logger.info(`wrote ${format} report to ${file}`);
    } else process.stdout.write(text);
  }
  return failed ? EXIT.findings : EXIT.clean;
}

async function load(opts: AuditOptions, logger: Logger): Promise<{ workload: Workload; target: string; notes: string[] }> {
  if (opts.inspect !== undefined) {
    if (opts.host) logger.warn('--host is ignored with --inspect');
    const { text, name } = await readInput(opts.inspect);
    const containers = containersFromInspectText(text, name);
    return { workload: { containers }, target: `docker inspect output ${name} (${containers.length} ${containers.length === 1 ? "container" : "containers"})`, notes: [] };
  }
  const endpoint = resolveEndpoint(opts.host);
  logger.info(`auditing ${opts.all ? 'all' : 'running'} containers of ${endpoint.address} (from ${endpoint.from})`);
  const { workload, notes } = await fetchWorkload(endpoint, { all: opts.all, concurrency: opts.concurrency });
  for (const n of notes) logger.warn(n);
  const daemon = workload.daemon ? ` (${workload.daemon.name}, Docker ${workload.daemon.serverVersion})` : '';
  return { workload, target: `engine ${endpoint.address}${daemon}, ${opts.all ? 'all' : 'running'} containers`, notes };
}
