import type { Command } from 'commander';
import { Option } from 'commander';
import { oneOf, positiveInt } from './options.js';
import { log } from './log.js';
import type { ColorMode } from './output.js';

export const INSPECT_FORMATS = ['text', 'json'] as const;

export interface InspectOptions {
  host?: string;
  self: boolean;
  hostPid?: number;
  root: string;
  format: (typeof INSPECT_FORMATS)[number];
  color: ColorMode;
  quiet: boolean;
}

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('look inside a process or container: namespaces shared with the host, capabilities, seccomp, AppArmor, cgroup limits, network, mounts of note (read from /proc; changes nothing)')
    .argument('[target]', 'a PID, or a container name or id (resolved through the engine to its PID)')
    .option('--self', 'inspect bulkhead\'s own process (run inside a container, as amicontained does)', false)
    .option('-H, --host <url>', 'Docker engine for a container TARGET (as `audit --host`); it must run on this machine')
    .addOption(new Option('--host-pid <pid>', 'the process whose namespaces are the host\'s (default PID 1, or PID 2 when PID 1\'s cannot be read)').argParser(positiveInt))
    .addOption(new Option('--root <dir>', 'the host\'s root is mounted at DIR: /proc and /sys/fs/cgroup are read under it').default('/').env('BULKHEAD_ROOT'))
    .addOption(new Option('-f, --format <format>', `output format: ${INSPECT_FORMATS.join(', ')}`).argParser(oneOf(INSPECT_FORMATS)).default('text'))
    .addOption(new Option('--color <when>', 'colour text output: auto, always, never').argParser(oneOf(['auto', 'always', 'never'] as const)).default('auto').env('BULKHEAD_COLOR'))
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (target: string | undefined, opts: InspectOptions) => {
      const { inspect } = await import('./inspect-run.js');
      process.exitCode = await inspect(target, opts, log(opts.quiet));
    });
}
