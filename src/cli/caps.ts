import type { Command } from 'commander';
import { Option } from 'commander';
import { oneOf } from './options.js';

const FORMATS = ['text', 'json'] as const;
export type CapsFormat = (typeof FORMATS)[number];

const formatOption = () => new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`).argParser(oneOf(FORMATS)).default('text');

export function registerCaps(program: Command): void {
  const caps = program.command('caps').description('Linux capabilities: decode a mask from /proc/PID/status, explain one, list them all');
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
    .command('list')
    .description('every capability with its number; Docker\'s default set marked, dangerous ones flagged')
    .addOption(formatOption())
    .action(async (opts: { format: CapsFormat }) => {
      const { list } = await import('./caps-run.js');
      process.stdout.write(list(opts.format));
    });
}
