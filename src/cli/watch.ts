import type { Command } from 'commander';
import { Option } from 'commander';
import type { Severity } from '../core/severity.js';
import { SEVERITIES } from '../core/severity.js';
import { gate, oneOf, positiveInt, severityList } from './options.js';
import { log } from './log.js';

export const WATCH_FORMATS = ['text', 'json'] as const;

export interface WatchOptions {
  host?: string;
  format: (typeof WATCH_FORMATS)[number];
  severity?: Severity[];
  failOn?: Severity | 'none';
  config?: string;
  /** false with --no-existing: only containers created, started or updated after the watch starts. */
  existing: boolean;
  metrics?: string;
  metricsAllowRemote: boolean;
  timeout: number;
  quiet: boolean;
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('follow the engine\'s events and audit each container as it is created, started or updated (the containers section\'s rules); one line per new state; optionally serve Prometheus metrics')
    .option('-H, --host <url>', 'Docker engine (as `audit --host`); default: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock')
    .addOption(new Option('-f, --format <format>', 'output: text (a line per audit, findings indented) or json (one JSON object per line)').argParser(oneOf(WATCH_FORMATS)).default('text'))
    .addOption(new Option('-s, --severity <list>', `severities to show, comma-separated (${SEVERITIES.join(',')}); default all`).argParser(severityList).env('BULKHEAD_SEVERITY'))
    .addOption(new Option('--fail-on <severity>', 'mark an audit failed (summary.failed) when a finding is at or above this severity; none never; default low, or fail-on of the config').argParser(gate).env('BULKHEAD_FAIL_ON'))
    .addOption(new Option('-c, --config <file>', 'read this config file instead of .bulkhead.yaml and the user\'s config').env('BULKHEAD_CONFIG'))
    .option('--no-existing', 'do not audit the containers already running at start; only what happens after')
    .option('--metrics <addr>', 'serve Prometheus metrics at http://ADDR/metrics (HOST:PORT, e.g. 127.0.0.1:9323; port 0 picks a free one); loopback only unless --metrics-allow-remote')
    .option('--metrics-allow-remote', 'allow --metrics on a non-loopback address (the metrics name every container and its findings)', false)
    .addOption(new Option('--timeout <seconds>', 'seconds to wait for the engine\'s answer to a request (not for events: those may be silent for ever)').argParser(positiveInt).default(60))
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (opts: WatchOptions) => {
      const { watch } = await import('./watch-run.js');
      process.exitCode = await watch(opts, log(opts.quiet));
    });
}
