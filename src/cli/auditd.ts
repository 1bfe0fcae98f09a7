import type { Command } from 'commander';
import { Option } from 'commander';
import { oneOf } from './options.js';

const FORMATS = ['text', 'json'] as const;
export type AuditdFormat = (typeof FORMATS)[number];

export interface AuditdHostOptions {
  readonly root: string;
  readonly host?: string;
  readonly quiet: boolean;
}
export interface GenerateOptions extends AuditdHostOptions {
  readonly install: boolean;
  readonly rulesFile: string;
}
export interface CheckOptions extends AuditdHostOptions {
  readonly format: AuditdFormat;
}
export interface ReportCliOptions {
  readonly root: string;
  readonly log?: string;
  readonly key: string;
  readonly since?: string;
  readonly format: AuditdFormat;
  readonly quiet: boolean;
}

const formatOption = () => new Option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`).argParser(oneOf(FORMATS)).default('text');
const rootOption = () => new Option('--root <dir>', 'the host\'s root is mounted at DIR: its files are read under it (paths in rules stay the host\'s)').default('/').env('BULKHEAD_ROOT');
const hostOption = () => new Option('-H, --host <url>', 'Docker engine asked for its root dir (CIS 1.1.5); default as `bulkhead audit`; without an answer /var/lib/docker');

export function registerAuditd(program: Command): void {
  const auditd = program.command('auditd').description('auditd watches for Docker\'s files and programs (CIS 1.1.3-1.1.18): generate and install them, check what is loaded, report who touched what');
  auditd
    .command('generate')
    .description('print `-w PATH -p rwxa -k docker` rules for every CIS 1.1.3-1.1.18 path whose folder exists; --install writes and loads them')
    .addOption(rootOption())
    .addOption(hostOption())
    .option('--install', 'write the rules file and load it into the kernel (augenrules --load when auditd runs and the file is in /etc/audit/rules.d, else auditctl -R FILE)', false)
    .option('--rules-file <path>', 'the rules file --install writes', '/etc/audit/rules.d/docker.rules')
    .option('-q, --quiet', 'no notes on stderr', false)
    .action(async (opts: GenerateOptions) => {
      const { generate } = await import('./auditd-run.js');
      process.exitCode = await generate(opts);
    });
  auditd
    .command('check')
    .description('each wanted watch: loaded in the kernel (auditctl -l, needs root) and configured in /etc/audit/rules.d or audit.rules; exit 1 when one is missing')
    .addOption(rootOption())
    .addOption(hostOption())
    .addOption(formatOption())
    .option('-q, --quiet', 'no notes on stderr', false)
    .action(async (opts: CheckOptions) => {
      const { check } = await import('./auditd-run.js');
      process.exitCode = await check(opts);
    });
  auditd
    .command('report')
    .description('the audit log\'s events with the docker key, readable: when, who (login user and uid), which program, which syscall, which path, success; then counts')
    .addOption(rootOption())
    .option('--log <file>', 'the audit log to read (default: /var/log/audit/audit.log under --root, with its rotated audit.log.N before it)')
    .option('-k, --key <key>', 'the rule key to report', 'docker')
    .option('--since <when>', 'only events from then on: ISO date or time, now-N[smhd], today, recent (10 minutes)')
    .addOption(formatOption())
    .option('-q, --quiet', 'no notes on stderr', false)
    .action(async (opts: ReportCliOptions) => {
      const { reportLog } = await import('./auditd-run.js');
      process.exitCode = await reportLog(opts);
    });
}
