import { runRules } from '../core/engine.js';
import { EXIT } from '../core/errors.js';
import { containersFromInspectBytes } from '../inputs/inspect/read.js';
import { fetchWorkload } from '../inputs/engine/fetch.js';
import { resolveEndpoint } from '../inputs/engine/endpoint.js';
import type { Workload } from '../model/workload.js';
import { RULES } from '../rules/index.js';
import { pairFormats } from './output.js';
import { makeReport, publish } from './publish.js';
import { readInputBytes, readTextFile } from '../inputs/read-input.js';
import { loadConfig } from '../config/config.js';
import type { Logger } from './log.js';
import type { AuditOptions } from './audit-options.js';

export async function audit(opts: AuditOptions, logger: Logger): Promise<number> {
  pairFormats(opts.format ?? ['text'], opts.output ?? []); // usage errors before any work
  // A broken config file is a usage error: say so before any work on the engine.
  const config = await loadConfig(opts.config, [process.cwd()], readTextFile);
  const { workload, target, notes } = await load(opts, logger);
  const report = makeReport(runRules(workload, RULES), workload.containers.map((c) => c.subject), target, notes, opts, config);
  await publish(report, opts, logger);
  return report.failed ? EXIT.findings : EXIT.clean;
}

async function load(opts: AuditOptions, logger: Logger): Promise<{ workload: Workload; target: string; notes: string[] }> {
  if (opts.inspect !== undefined) {
    if (opts.host) logger.warn('--host is ignored with --inspect');
    const { bytes, name } = await readInputBytes(opts.inspect);
    const containers = containersFromInspectBytes(bytes, name);
    return { workload: { containers }, target: `docker inspect output ${name} (${containers.length} ${containers.length === 1 ? 'container' : 'containers'})`, notes: [] };
  }
  const endpoint = resolveEndpoint(opts.host);
  logger.info(`auditing ${opts.all ? 'all' : 'running'} containers of ${endpoint.address} (from ${endpoint.from})`);
  const { workload, notes } = await fetchWorkload(endpoint, { all: opts.all, concurrency: opts.concurrency });
  for (const n of notes) logger.warn(n);
  const daemon = workload.daemon ? ` (${workload.daemon.name}, Docker ${workload.daemon.serverVersion})` : '';
  return { workload, target: `engine ${endpoint.address}${daemon}, ${opts.all ? 'all' : 'running'} containers`, notes };
}
