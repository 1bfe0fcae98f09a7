import type { Command } from 'commander';
import { Option } from 'commander';
import { collect, oneOf } from './options.js';

const PROFILE_FORMATS = ['json'] as const;
const LIST_FORMATS = ['text', 'json'] as const;
export type GroupsFormat = (typeof LIST_FORMATS)[number];

export interface ProfileOptions {
  readonly allow: string[];
  readonly deny: string[];
  readonly output?: string;
}

function profileOptions(command: Command): Command {
  return command
    .option('--allow <names>', 'also allow these syscalls or @groups (comma-separated, repeatable)', collect(String), [])
    .option('--deny <names>', 'deny these syscalls or @groups with EPERM (comma-separated, repeatable)', collect(String), [])
    .addOption(new Option('-f, --format <format>', 'profile format: Docker\'s seccomp JSON').argParser(oneOf(PROFILE_FORMATS)).default('json'))
    .option('-o, --output <file>', 'write the profile to FILE (atomically) instead of stdout');
}

export function registerSeccomp(program: Command): void {
  const seccomp = program.command('seccomp').description('seccomp profiles for `docker run --security-opt seccomp=FILE`, built from bulkhead\'s own allowlist of syscall groups');
  profileOptions(
    seccomp
      .command('generate')
      .description('print a profile: the default groups (as strict as Docker\'s default profile for a container with default capabilities), changed by --allow and --deny'),
  ).action(async (opts: ProfileOptions) => {
    const { generate } = await import('./seccomp-run.js');
    await generate(opts);
  });
  profileOptions(
    seccomp
      .command('from-strace')
      .description('a minimal profile from an `strace -f` log: the syscalls the log shows, plus what the container runtime needs to start the process')
      .argument('<log...>', 'the log: `strace -f -o LOG CMD` (or strace\'s stderr), - for stdin; several for `strace -ff -o LOG` (LOG.PID each)'),
  ).action(async (logs: string[], opts: ProfileOptions) => {
    const { fromStrace } = await import('./seccomp-run.js');
    await fromStrace(logs, opts);
  });
  seccomp
    .command('groups')
    .description('list the syscall groups, whether the default profile allows each, and their members')
    .addOption(new Option('-f, --format <format>', `output format: ${LIST_FORMATS.join(', ')}`).argParser(oneOf(LIST_FORMATS)).default('text'))
    .action(async (opts: { format: GroupsFormat }) => {
      const { groups } = await import('./seccomp-run.js');
      process.stdout.write(groups(opts.format));
    });
}
