import type { Command } from 'commander';
import { Option } from 'commander';
import { oneOf } from './options.js';
import { log } from './log.js';

const FORMATS = ['text', 'json'] as const;
export type CapsFormat = (typeof FORMATS)[number];

const formatOption = () => new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`).argParser(oneOf(FORMATS)).default('text');

export function registerCaps(program: Command): void {
  const caps = program.command('caps').description('Linux capabilities: decode a mask from /proc/PID/status, explain one, list them all, suggest a least-privilege set');
  caps
    .command('decode')
    .description('decode a capability mask (CapEff, CapPrm, CapBnd… of /proc/PID/status: hex, 0x optional, up to 64 bits)')
    .argument('<mask>', 'hex mask, e.g. 00000000a80425fb')
    .addOption(formatOption())
    .action(async (mask: string, opts: { format: CapsFormat }) => {
      const { decode } = await import('./caps-run.js');
      process.stdout.write(decode(mask, opts.format));
    });
  caps
    .command('explain')
    .description('what a capability allows, why it is risky, whether Docker grants it by default, and which CIS items, peer checks and bulkhead rules mention it')
    .argument('<name>', 'SYS_ADMIN, sys_admin or CAP_SYS_ADMIN')
    .addOption(formatOption())
    .action(async (name: string, opts: { format: CapsFormat }) => {
      const { explain } = await import('./caps-run.js');
      process.stdout.write(explain(name, opts.format));
    });
  caps
    .command('suggest')
    .description('least-privilege capabilities for a container: drop ALL, add back only what it needs, each with its reason, in the target\'s own syntax')
    .argument('<target>', 'a compose, Kubernetes or ECS file (every container in it), FILE:NAME (one service or container), or a container name or id on the engine')
    .option('-H, --host <url>', 'Docker engine for a container TARGET (as `audit --host`)')
    .addOption(new Option('--root <dir>', 'the host\'s root is mounted at DIR: a running container\'s /proc is read under it').default('/').env('BULKHEAD_ROOT'))
    .addOption(formatOption())
    .option('-q, --quiet', 'no logs on stderr', false)
    .action(async (target: string, opts: { host?: string; root: string; format: CapsFormat; quiet: boolean }) => {
      const { suggest } = await import('./caps-suggest-run.js');
      process.stdout.write(await suggest(target, opts, log(opts.quiet)));
    });
  caps
    .command('list')
    .description('every capability with its number; Docker\'s default set marked, dangerous ones flagged')
    .addOption(formatOption())
    .action(async (opts: { format: CapsFormat }) => {
      const { list } = await import('./caps-run.js');
      process.stdout.write(list(opts.format));
    });
}
