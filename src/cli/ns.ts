import type { Command } from 'commander';
import { Option } from 'commander';
import { oneOf, positiveInt } from './options.js';
import { log } from './log.js';
import type { ColorMode } from './output.js';

export const NS_FORMATS = ['text', 'json'] as const;

export interface NsOptions {
  host?: string;
  hostPid?: number;
  root: string;
  format: (typeof NS_FORMATS)[number];
  color: ColorMode;
  quiet: boolean;
}

export function registerNs(program: Command): void {
  program
    .command('ns')
    .description('list every namespace on the host (like lsns): its processes, the container that owns it, named network namespaces, and which containers share the host\'s namespaces (read from /proc; changes nothing)')
    .option('-H, --host <url>', 'Docker engine that names the containers (as `audit --host`); unreachable: ids only')
    .addOption(new Option('--host-pid <pid>', 'the process whose namespaces are the host\'s (default PID 1, or PID 2 when PID 1\'s cannot be read)').argParser(positiveInt))
    .addOption(new Option('--root <dir>', 'the host\'s root is mounted at DIR: /proc and /run/netns are read under it').default('/').env('BULKHEAD_ROOT'))
    .addOption(new Option('-f, --format <format>', `output format: ${NS_FORMATS.join(', ')}`).argParser(oneOf(NS_FORMATS)).default('text'))
    .addOption(new Option('--color <when>', 'colour text output: auto, always, never').argParser(oneOf(['auto', 'always', 'never'] as const)).default('auto').env('BULKHEAD_COLOR'))
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (opts: NsOptions) => {
      const { ns } = await import('./ns-run.js');
      process.exitCode = await ns(opts, log(opts.quiet));
    });
}
