import type { Command } from 'commander';
import { Option } from 'commander';
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
import { renderSarif } from '../reporters/sarif.js';
import { renderText } from '../reporters/text.js';
import { collect, gate, oneOf, positiveInt, severityList } from './options.js';
import { pairFormats, useColor, writeAtomically, type ColorMode } from './output.js';
import { readInput } from './read-input.js';
import { log, type Logger } from './log.js';
import { VERSION } from './version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

interface AuditOptions {
  host?: string;
  all: boolean;
  inspect?: string;
  format?: Format[];
  output?: string[];
  severity?: Severity[];
  failOn: Severity | 'none';
  color: ColorMode;
  quiet: boolean;
  concurrency: number;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('audit the containers of a Docker engine (CIS Docker Benchmark section 5 and more), or `docker inspect` output offline')
    .option('-H, --host <url>', 'Docker engine: unix:///path, tcp://host:port (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), ssh://user@host; default: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock')
    .option('-a, --all', 'also stopped and created containers (a created privileged container is a risk waiting to start)', false)
    .option('-i, --inspect <file>', 'audit offline: the output of `docker inspect $(docker ps -aq)`; - reads stdin')
    .addOption(new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')} (repeatable, each with its own --output)`).argParser(collect(oneOf(FORMATS))))
    .option('-o, --output <file>', 'write the report for the matching --format to FILE instead of stdout (repeatable)', collect(String))
    .addOption(new Option('-s, --severity <list>', `severities to show, comma-separated (${SEVERITIES.join(',')}); default all`).argParser(severityList))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when any finding is at or above this severity (shown or not); none never fails').argParser(gate).default('low'))
    .addOption(new Option('--color <when>', 'colour text output: auto (a terminal without NO_COLOR), always, never').argParser(oneOf(['auto', 'always', 'never'] as const)).default('auto'))
    .option('-q, --quiet', 'no logs or progress on stderr', false)
    .addOption(new Option('--concurrency <n>', 'parallel requests to the engine').argParser(positiveInt).default(16))
    .action(async (opts: AuditOptions) => {
      process.exitCode = await audit(opts, log(opts.quiet));
    });
}

async function audit(opts: AuditOptions, logger: Logger): Promise<number> {
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
      format === 'json' ? renderJson(report) : format === 'sarif' ? renderSarif(report) : renderText(report, useColor(opts.color, file !== undefined));
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
