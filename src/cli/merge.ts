import { Option, type Command } from 'commander';
import { SEVERITIES } from '../core/severity.js';
import { log } from './log.js';
import { collect, gate, oneOf, severityList } from './options.js';
import { FORMATS } from './report-options.js';
import type { MergeOptions } from './merge-run.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine per-host JSON reports (any mix of hosts and runs) into one report, with a fleet summary: which rules fail on how many hosts, the worst hosts, what changed since --previous')
    .argument('<reports...>', 'bulkhead JSON reports (audit -f json, scan -f json, or an earlier merge); a finding in two reports of one host is kept once, from the later report')
    .option('--previous <merged>', 'an earlier merged JSON report: the fleet summary lists the findings new since it and those fixed')
    .addOption(new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')} (repeatable, each with its own --output)`).argParser(collect(oneOf(FORMATS))).env('BULKHEAD_FORMAT'))
    .option('-o, --output <file>', 'write the report for the matching --format to FILE instead of stdout (repeatable)', collect(String))
    .addOption(new Option('-s, --severity <list>', `severities to show, comma-separated (${SEVERITIES.join(',')}); default all`).argParser(severityList).env('BULKHEAD_SEVERITY'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when any merged finding is at or above this severity (shown or not); none never fails; default low').argParser(gate).env('BULKHEAD_FAIL_ON'))
    .addOption(new Option('--color <when>', 'colour text output: auto (a terminal without NO_COLOR), always, never').argParser(oneOf(['auto', 'always', 'never'] as const)).default('auto').env('BULKHEAD_COLOR'))
    .option('--show-suppressed', 'also list the findings the reports suppressed (those they list: made with --show-suppressed), with the reason', false)
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (reports: string[], opts: MergeOptions) => {
      const { merge } = await import('./merge-run.js');
      process.exitCode = await merge(reports, opts, log(opts.quiet));
    });
}
