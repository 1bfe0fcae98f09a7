import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { collect, positiveInt } from './options.js';
import { DEFAULT_MEMORY_MIB, DEFAULT_PIDS_LIMIT } from '../harden/fix/fix-options.js';
import type { FixCliOptions } from './fix-run.js';

/** `512m`, `1g`, `768` (MiB): a memory size in whole MiB, at least Docker's 6 MiB minimum. */
function mebibytes(value: string): number {
  const m = /^(\d+)\s*(m|mb|mi|mib|g|gb|gi|gib)?$/i.exec(value.trim());
  const n = m ? Number(m[1]) * (m[2] && m[2][0]!.toLowerCase() === 'g' ? 1024 : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 6) throw new InvalidArgumentError('expected a size of at least 6m, e.g. 512m or 1g');
  return n;
}

export function registerFix(program: Command): void {
  program
    .command('fix')
    .description('print a unified diff that hardens the Dockerfiles, compose files, Kubernetes manifests and ECS task definitions under PATHs (default .); --write applies it')
    .argument('[paths...]', 'files and folders (folders recursively)')
    .option('--write', 'apply the fix to the files in place (atomically, keeping their mode) instead of printing it', false)
    .option('--aggressive', 'also remove explicit settings the workload may depend on: privileged, host namespaces, added capabilities', false)
    .option('--pids-limit <n>', 'pids_limit for compose services that have none', positiveInt, DEFAULT_PIDS_LIMIT)
    .addOption(new Option('--memory <size>', 'memory limit for containers that have none (compose mem_limit, Kubernetes limits.memory, ECS memory)').argParser(mebibytes).default(DEFAULT_MEMORY_MIB, `${DEFAULT_MEMORY_MIB}m`))
    .option('-e, --exclude <glob>', 'skip paths matching GLOB (relative to the working folder, or a bare name); repeatable', collect(String))
    .option('-q, --quiet', 'no notes on stderr', false)
    .action(async (paths: string[], opts: FixCliOptions) => {
      const { fix } = await import('./fix-run.js');
      process.exitCode = await fix(paths.length ? paths : ['.'], opts);
    });
}
