import type { Command } from 'commander';
import { log } from './log.js';

export interface BaselineCreateOptions {
  from?: string;
  quiet: boolean;
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('accept the findings of today so that later runs (--baseline FILE) report only new ones');
  baseline
    .command('create')
    .description('write a baseline of every finding in a bulkhead JSON report (read from stdin, or --from): bulkhead scan . -f json | bulkhead baseline create FILE')
    .argument('<file>', 'the baseline to write (replaced whole, never half-written)')
    .option('--from <report>', 'read the JSON report from this file instead of stdin')
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (file: string, opts: BaselineCreateOptions) => {
      const { createBaseline } = await import('./baseline-run.js');
      await createBaseline(file, opts, log(opts.quiet));
    });
}
