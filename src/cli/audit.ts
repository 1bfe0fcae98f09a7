import type { Command } from 'commander';
import { Option } from 'commander';
import { collect, listOf, positiveInt } from './options.js';
import { SECTIONS } from '../core/sections.js';
import { log } from './log.js';
import { ALL_FORMATS, addReportOptions } from './report-options.js';
import type { AuditOptions } from './audit-options.js';

export function registerAudit(program: Command): void {
  const cmd = program
    .command('audit')
    .description('audit a Docker host: the host, the daemon, its files, images, containers and operations (CIS Docker Benchmark sections 1-6), or `docker inspect` output offline')
    .option('-H, --host <url>', 'Docker engine: unix:///path, tcp://host:port (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), ssh://user@host; default: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock; repeat it to audit a fleet', collect(String))
    .option('--hosts-file <file>', 'audit a fleet: the Docker host URLs in FILE, one a line (# comments and blank lines allowed)')
    .addOption(new Option('--context <which>', 'audit a fleet: every docker context (all)').choices(['all']))
    .addOption(new Option('--parallel <n>', 'engines of a fleet audited at once').argParser(positiveInt).default(4))
    .addOption(new Option('--timeout <seconds>', 'seconds an engine may take to answer a request before it is reported as unreachable').argParser(positiveInt).default(60))
    .option('-a, --all', 'also stopped and created containers (a created privileged container is a risk waiting to start)', false)
    .option('-i, --inspect <file>', 'audit offline: the output of `docker inspect $(docker ps -aq)`; - reads stdin')
    .addOption(new Option('--sections <list>', `what to audit, comma-separated: ${SECTIONS.join(', ')}; default all that apply (config, the container configuration in the current folder: when it has a Dockerfile or compose file of its own; with --inspect: containers)`).argParser(listOf(SECTIONS)).env('BULKHEAD_SECTIONS'))
    .addOption(new Option('--root <dir>', 'the host\'s root is mounted at DIR (bulkhead in a container with -v /:/host:ro → --root /host): every host file is read under it').default('/').env('BULKHEAD_ROOT'))
    .option('--all-images', 'audit every image, not only those containers use', false);
  addReportOptions(cmd, ALL_FORMATS)
    .addOption(new Option('--concurrency <n>', 'parallel requests to the engine').argParser(positiveInt).default(16))
    .action(async (opts: AuditOptions) => {
      // Loaded on use: `bulkhead --help` and `bulkhead rules` need none of it.
      const { audit } = await import('./audit-run.js');
      process.exitCode = await audit(opts, log(opts.quiet));
    });
}
