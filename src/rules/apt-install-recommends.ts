import type { Rule } from '../core/rule.js';
import { instructionsBefore, instructionsInScope, programOf, type ShellCommand, stageChain, subcommandOf } from '../model/build.js';

const APT_VALUED = ['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release'];
const APT_CONF_DIR = '/etc/apt/apt.conf.d/';
const FALSE = new Set(['false', '0', 'no', 'off']);

/** `APT::Install-Recommends=false` (keys are case-insensitive; the value may be quoted or end in `;` in a conf file). */
function disablesRecommends(setting: string): boolean {
  const m = /^\s*apt::install-recommends\s*[= ]\s*"?([a-z0-9]+)"?\s*;?\s*$/i.exec(setting);
  return m !== null && FALSE.has(m[1]!.toLowerCase());
}

/** `-o APT::Install-Recommends=false`, `-oAPT::…`, `--option=APT::…` among an apt command's words. */
function optionDisables(cmd: ShellCommand): boolean {
  const args = cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    let setting: string | undefined;
    if ((a === '-o' || a === '--option') && i + 1 < args.length) setting = args[++i];
    else if (a.startsWith('--option=')) setting = a.slice('--option='.length);
    else if (a.startsWith('-o') && !a.startsWith('--') && a.length > 2) setting = a.slice(2);
    if (setting !== undefined && disablesRecommends(setting)) return true;
  }
  return false;
}

/**
 * An earlier RUN that writes `APT::Install-Recommends "false";` into /etc/apt/apt.conf.d/
 * (`echo '…' > /etc/apt/apt.conf.d/99norecommends`, or `… | tee /etc/apt/apt.conf.d/…`):
 * from then on apt installs no recommended packages.
 */
function configuredOff(cmds: readonly ShellCommand[]): boolean {
  return cmds.some((c) => {
    const program = programOf(c);
    if (program !== 'echo' && program !== 'printf') return false;
    const into = (t: string) => t.startsWith(APT_CONF_DIR);
    const target = c.redirects.some((r) => r.op.endsWith('>') && into(r.target)) || (c.pipesTo !== undefined && programOf(c.pipesTo) === 'tee' && c.pipesTo.args.some(into));
    return target && c.args.some((a) => a.split(/\\n|\n/).some(disablesRecommends));
  });
}

export const aptInstallRecommends: Rule = {
  id: 'BH036',
  name: 'apt-install-recommends',
  severity: 'low',
  category: 'build',
  references: [],
  aliases: ['DL3015', 'DS-0029', 'kics: APT-GET Not Avoiding Additional Packages'],
  docs: {
    summary: '`apt-get install` runs without `--no-install-recommends`, so apt adds every recommended package too.',
    rationale:
      'By default apt installs the packages each requested package recommends, not only what it needs: often dozens more, each one more binary an attacker can use and one more source of vulnerabilities to patch, for nothing the image runs. Only stages whose layers end up in the image are looked at (the final stage and those it builds FROM); an earlier RUN that writes APT::Install-Recommends "false" into /etc/apt/apt.conf.d/ counts.',
    remediation: {
      docker: 'in the Dockerfile: apt-get install -y --no-install-recommends PKG …',
      dockerfile: 'RUN apt-get update && apt-get install -y --no-install-recommends PKG … && rm -rf /var/lib/apt/lists/* (or -o APT::Install-Recommends=false)',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { stage, instruction: ins } of instructionsInScope(build, 'image', 'RUN')) {
        const chain = stageChain(build, stage).reverse();
        const cmds = ins.commands ?? [];
        let settled: boolean | undefined;
        cmds.forEach((cmd, k) => {
          const program = programOf(cmd);
          if (program !== 'apt-get' && program !== 'apt') return;
          if (subcommandOf(cmd, APT_VALUED)?.name !== 'install') return;
          if (cmd.args.includes('--no-install-recommends') || optionDisables(cmd)) return;
          if (configuredOff(cmds.slice(0, k))) return;
          settled ??= instructionsBefore(chain, stage, ins).some((i) => i.keyword === 'RUN' && configuredOff(i.commands ?? []));
          if (settled) return;
          ctx.report({ subject: build.subject, at: cmd, message: `${program} install without --no-install-recommends: add --no-install-recommends` });
        });
      }
    }
  },
};
