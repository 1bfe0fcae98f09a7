import type { Command } from 'commander';
import { Option } from 'commander';
import { SEVERITIES } from '../core/severity.js';
import { collect, gate, oneOf, positiveInt, severityList } from './options.js';
import { log } from './log.js';
import { FORMATS, type AuditOptions } from './audit-options.js';

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
      // Loaded on use: `bulkhead --help` and `bulkhead rules` need none of it.
      const { audit } = await import('./audit-run.js');
      process.exitCode = await audit(opts, log(opts.quiet));
    });
}

