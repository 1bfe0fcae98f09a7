import type { Command } from 'commander';
import { Option } from 'commander';
import { positiveInt } from './options.js';
import { log } from './log.js';
import { addReportOptions } from './report-options.js';
import type { AuditOptions } from './audit-options.js';

export function registerAudit(program: Command): void {
  const cmd = program
    .command('audit')
    .description('audit the containers of a Docker engine (CIS Docker Benchmark section 5 and more), or `docker inspect` output offline')
    .option('-H, --host <url>', 'Docker engine: unix:///path, tcp://host:port (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), ssh://user@host; default: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock')
    .option('-a, --all', 'also stopped and created containers (a created privileged container is a risk waiting to start)', false)
    .option('-i, --inspect <file>', 'audit offline: the output of `docker inspect $(docker ps -aq)`; - reads stdin');
  addReportOptions(cmd)
    .addOption(new Option('--concurrency <n>', 'parallel requests to the engine').argParser(positiveInt).default(16))
    .action(async (opts: AuditOptions) => {
      // Loaded on use: `bulkhead --help` and `bulkhead rules` need none of it.
      const { audit } = await import('./audit-run.js');
      process.exitCode = await audit(opts, log(opts.quiet));
    });
}
