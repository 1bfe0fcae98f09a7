import { Option, type Command } from 'commander';
import { SEVERITIES } from '../core/severity.js';
import { collect, gate, oneOf, severityList } from './options.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'html'] as const;
/** Every format a report can be written in; `audit` alone also writes docker-bench-security's log. */
export const ALL_FORMATS = [...FORMATS, 'docker-bench'] as const;
export type Format = (typeof ALL_FORMATS)[number];

/** The output, showing and failing flags that every reporting command shares (see ReportFlags). */
export function addReportOptions(cmd: Command, formats: readonly Format[] = FORMATS): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', `output format: ${formats.join(', ')} (repeatable, each with its own --output)`).argParser(collect(oneOf(formats))).env('BULKHEAD_FORMAT'))
    .option('-o, --output <file>', 'write the report for the matching --format to FILE instead of stdout (repeatable)', collect(String))
    .addOption(new Option('-s, --severity <list>', `severities to show, comma-separated (${SEVERITIES.join(',')}); default all`).argParser(severityList).env('BULKHEAD_SEVERITY'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when any finding is at or above this severity (shown or not); none never fails; default low, or fail-on of the config').argParser(gate).env('BULKHEAD_FAIL_ON'))
    .addOption(new Option('--color <when>', 'colour text output: auto (a terminal without NO_COLOR), always, never').argParser(oneOf(['auto', 'always', 'never'] as const)).default('auto').env('BULKHEAD_COLOR'))
    .addOption(new Option('-c, --config <file>', 'read this config file instead of .bulkhead.yaml and the user\'s config').env('BULKHEAD_CONFIG'))
    .option('--show-suppressed', 'also list the findings that ignores suppressed, with the reason', false)
    .addOption(new Option('--baseline <file>', 'report only findings that are not in this baseline (made by bulkhead baseline create)').env('BULKHEAD_BASELINE'))
    .option('-q, --quiet', 'no logs or progress on stderr', false);
}
