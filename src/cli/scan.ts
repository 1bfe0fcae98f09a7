import type { Command } from 'commander';
import { log } from './log.js';
import { addReportOptions } from './report-options.js';
import { collect } from './options.js';
import type { ScanOptions } from './scan-run.js';

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('audit container configuration before it runs: Dockerfiles, compose files, ECS task definitions and Kubernetes manifests under PATHs (default .)')
    .argument('[paths...]', 'files and folders to scan (folders recursively); - reads stdin (with --kind)')
    .option('--kind <kind>', 'what stdin (or every named file) holds: dockerfile, compose, kubernetes, ecs')
    .option('-e, --exclude <glob>', 'skip paths matching GLOB (relative to the working folder, or a bare name); repeatable', collect(String));
  addReportOptions(cmd).action(async (paths: string[], opts: ScanOptions) => {
    const { scan } = await import('./scan-run.js');
    process.exitCode = await scan(paths.length ? paths : ['.'], opts, log(opts.quiet));
  });
}
