import type { Command } from 'commander';
import { log } from './log.js';

export interface ApparmorGenerateOptions {
  output?: string;
  install: boolean;
  check: boolean;
  quiet: boolean;
}

export function registerApparmor(program: Command): void {
  const apparmor = program.command('apparmor').description('AppArmor profiles for containers');
  apparmor
    .command('generate')
    .description('an AppArmor profile from a bane TOML file (bane\'s format, unchanged; a few keys of bulkhead\'s own): printed, or written with --output, or installed with --install')
    .argument('<file>', 'the TOML file (- for stdin)')
    .option('-o, --output <file>', 'write the profile to FILE (atomically) instead of stdout')
    .option('--install', 'write /etc/apparmor.d/containers/NAME (0644) and load it with apparmor_parser -r -W (root; a kernel with AppArmor)', false)
    .option('--check', 'compile the profile with the real apparmor_parser, offline, and fail (exit 2) if it rejects it', false)
    .option('-q, --quiet', 'no logs on stderr (how to use the profile, warnings)', false)
    .action(async (file: string, opts: ApparmorGenerateOptions) => {
      const { generate } = await import('./apparmor-run.js');
      await generate(file, opts, log(opts.quiet));
    });
}
