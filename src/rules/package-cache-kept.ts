import type { Rule } from '../core/rule.js';
import { type Instruction, instructionsBefore, instructionsInScope, mountTargets, programOf, type ShellCommand, stageChain, subcommandOf } from '../model/build.js';

/** A path as `rm` is given it, without trailing `/`, `/*` or `/**`: `/var/lib/apt/lists/*` → `/var/lib/apt/lists`. */
function dirOf(arg: string): string {
  let p = arg;
  for (;;) {
    const next = p.replace(/\/\*{1,2}$/, '').replace(/\/+$/, '');
    if (next === p) return p;
    p = next;
  }
}

/** Whether removing or mounting over a directory (as cleaned by dirOf) disposes of a cache. */
type Covers = (dir: string) => boolean;

/** The directory is one of `dirs` or a parent of one. */
function within(dirs: readonly string[]): Covers {
  return (d) => d !== '' && dirs.some((dir) => dir === d || dir.startsWith(`${d}/`));
}

/** `rm … DIR/*` (or `find DIR … -delete`) removing a cache directory, after index k. */
function removesAfter(cmds: readonly ShellCommand[], k: number, covers: Covers): boolean {
  return cmds.slice(k + 1).some((c) => {
    const p = programOf(c);
    if (p === 'rm') return c.args.some((a) => !a.startsWith('-') && covers(dirOf(a)));
    if (p === 'find') return c.args.includes('-delete') && c.args[0] !== undefined && covers(dirOf(c.args[0]));
    return false;
  });
}

/** A cache or tmpfs mount of the RUN on a cache directory: what lands there never reaches the layer. */
function mountedOver(ins: Instruction, covers: Covers): boolean {
  return [...mountTargets(ins, 'cache'), ...mountTargets(ins, 'tmpfs')].some((t) => covers(dirOf(t)));
}

/** A later `<program> <subcommand> …` of the family (`yum clean`), with `what` among its words when set (`yum clean all`). */
function cleansAfter(cmds: readonly ShellCommand[], k: number, programs: readonly string[], subcommands: readonly string[], what?: string): boolean {
  return cmds.slice(k + 1).some((c) => {
    if (!programs.includes(programOf(c))) return false;
    const sub = subcommandOf(c);
    if (!sub || !subcommands.includes(sub.name)) return false;
    return what === undefined || c.args.slice(sub.index + 1).includes(what);
  });
}

const APT = ['apt-get', 'apt', 'aptitude'];
const APT_VALUED = ['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release'];
const APT_INSTALL = ['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade', 'build-dep', 'satisfy'];
const APT_LISTS = within(['/var/lib/apt/lists']);

const APK_VALUED = ['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--cache-max-age', '--timeout'];
const APK_CACHE = within(['/var/cache/apk', '/etc/apk/cache']);

const RPM = ['yum', 'dnf', 'microdnf', 'tdnf'];
const RPM_VALUED = ['-c', '--config', '-x', '--exclude', '--installroot', '--releasever', '-d', '--debuglevel', '-e', '--errorlevel', '--repo', '--repoid', '--enablerepo', '--disablerepo'];
const RPM_INSTALL = ['install', 'groupinstall', 'localinstall', 'reinstall', 'downgrade', 'update', 'upgrade', 'distro-sync', 'group', 'builddep'];
const RPM_CACHE = within(['/var/cache/yum', '/var/cache/dnf', '/var/cache/tdnf']);

const ZYPPER_VALUED = ['-c', '--config', '-R', '--root', '--installroot', '-p', '--plus-repo', '-D', '--reposd-dir', '-C', '--cache-dir'];
const ZYPPER_INSTALL = ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si'];
const ZYPPER_CACHE = within(['/var/cache/zypp']);

const PIP_VALUED = ['--cache-dir', '--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert', '--python'];
/** pip's cache is ~/.cache/pip of whichever user runs it: any `…/.cache/pip` or `…/.cache`. */
const PIP_CACHE: Covers = (d) => d.endsWith('/.cache/pip') || d.endsWith('/.cache') || d === '.cache' || d === '.cache/pip';

/** yarn 1 caches in /usr/local/share/.cache/yarn (root) or ~/.cache/yarn; yarn 2+ in ~/.yarn/berry/cache. */
const YARN_CACHE: Covers = (d) => within(['/usr/local/share/.cache/yarn'])(d) || d.endsWith('/.cache/yarn') || d.endsWith('/.cache') || d.endsWith('/.yarn/berry/cache') || d.endsWith('/.yarn/berry') || d.endsWith('/.yarn');

/** `pip install`'s words after `pip` (`pip3 install`, `python3 -m pip install`, `/opt/venv/bin/pip install`), or undefined when the command is no pip. */
function pipWords(cmd: ShellCommand): readonly string[] | undefined {
  const p = programOf(cmd);
  if (/^pip(\d+(\.\d+)?)?$/.test(p)) return cmd.args;
  if (/^python(\d+(\.\d+)?)?$/.test(p)) {
    const m = cmd.args.indexOf('-m');
    if (m >= 0 && cmd.args[m + 1] === 'pip' && cmd.args.slice(0, m).every((a) => a.startsWith('-'))) return cmd.args.slice(m + 2);
  }
  return undefined;
}

function subOf(words: readonly string[], valued: readonly string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const a = words[i]!;
    if (a.startsWith('-') && a.length > 1) {
      if (valued.includes(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

export const packageCacheKept: Rule = {
  id: 'BH037',
  name: 'package-cache-kept',
  severity: 'low',
  category: 'build',
  references: [],
  aliases: [
    'DL3009',
    'DL3019',
    'DL3032',
    'DL3036',
    'DL3040',
    'DL3042',
    'DL3060',
    'DKL-DI-0004',
    'DKL-DI-0005',
    'DS-0015',
    'DS-0019',
    'DS-0020',
    'DS-0025',
    'DS-0027',
    'kics: Apt Get Install Lists Were Not Deleted',
    'kics: Apk Add Using Local Cache Path',
    'kics: Yum Clean All Missing',
    'kics: Missing Dnf Clean All',
    'kics: Missing Zypper Clean',
  ],
  docs: {
    summary: 'A RUN installs packages and leaves the package manager\'s index or download cache in the layer.',
    rationale:
      'A layer keeps every file its RUN leaves behind, and a later RUN that deletes them only hides them: apt\'s lists, apk\'s index, yum/dnf/zypper metadata and pip/yarn download caches add tens of megabytes to every pull, and a stale index in the image invites installing outdated packages at run time. Clean up in the same RUN (or keep the cache out of the layer with a BuildKit cache mount on the directory it fills). Only stages whose layers end up in the image are looked at (the final stage and those it builds FROM): a builder stage\'s cache never ships.',
    remediation: {
      docker: 'in the Dockerfile: clean the package cache in the same RUN that installs',
      dockerfile:
        'apt: RUN apt-get update && apt-get install -y … && rm -rf /var/lib/apt/lists/* (or RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt …); apk add --no-cache …; yum/dnf install -y … && yum clean all; zypper install -y … && zypper clean --all; pip install --no-cache-dir … (or ENV PIP_NO_CACHE_DIR=1); yarn install … && yarn cache clean',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { stage, instruction: ins } of instructionsInScope(build, 'image', 'RUN')) {
        const chain = stageChain(build, stage).reverse();
        const cmds = ins.commands ?? [];
        const report = (cmd: ShellCommand, message: string) => ctx.report({ subject: build.subject, at: cmd, message });
        /** Families already reported for this RUN: one finding says "clean up at the end of this RUN". */
        const reported = new Set<string>();
        let pipOff: boolean | undefined;
        cmds.forEach((cmd, k) => {
          const program = programOf(cmd);
          if (APT.includes(program)) {
            if (reported.has('apt') || !APT_INSTALL.includes(subcommandOf(cmd, APT_VALUED)?.name ?? '')) return;
            if (mountedOver(ins, APT_LISTS) || removesAfter(cmds, k, APT_LISTS)) return;
            reported.add('apt');
            const partial = mountedOver(ins, within(['/var/cache/apt'])) ? ' (the cache mount on /var/cache/apt does not cover the lists; mount /var/lib/apt too)' : '';
            report(cmd, `${program} ${subcommandOf(cmd, APT_VALUED)!.name} leaves /var/lib/apt/lists in the layer: end the same RUN with && rm -rf /var/lib/apt/lists/*${partial}`);
          } else if (program === 'apk') {
            const sub = subcommandOf(cmd, APK_VALUED)?.name;
            if (sub !== 'add' && sub !== 'upgrade') return;
            if (cmd.args.includes('--no-cache') || mountedOver(ins, APK_CACHE) || removesAfter(cmds, k, within(['/var/cache/apk']))) return;
            report(cmd, `apk ${sub} without --no-cache keeps the package index in /var/cache/apk: use apk ${sub} --no-cache`);
          } else if (RPM.includes(program)) {
            if (reported.has('rpm') || !RPM_INSTALL.includes(subcommandOf(cmd, RPM_VALUED)?.name ?? '')) return;
            if (cleansAfter(cmds, k, RPM, ['clean'], 'all') || mountedOver(ins, RPM_CACHE) || removesAfter(cmds, k, RPM_CACHE)) return;
            reported.add('rpm');
            report(cmd, `${program} ${subcommandOf(cmd, RPM_VALUED)!.name} without ${program} clean all in the same RUN keeps its metadata and packages in the layer: end the RUN with && ${program} clean all`);
          } else if (program === 'zypper') {
            if (reported.has('zypper') || !ZYPPER_INSTALL.includes(subcommandOf(cmd, ZYPPER_VALUED)?.name ?? '')) return;
            if (cleansAfter(cmds, k, ['zypper'], ['clean', 'cc']) || mountedOver(ins, ZYPPER_CACHE) || removesAfter(cmds, k, ZYPPER_CACHE)) return;
            reported.add('zypper');
            report(cmd, `zypper ${subcommandOf(cmd, ZYPPER_VALUED)!.name} without zypper clean in the same RUN keeps its cache in the layer: end the RUN with && zypper clean --all`);
          } else if (program === 'yarn') {
            if (reported.has('yarn') || subOf(cmd.args, []) !== 'install') return;
            if (cleansAfter(cmds, k, ['yarn'], ['cache'], 'clean') || mountedOver(ins, YARN_CACHE) || removesAfter(cmds, k, YARN_CACHE)) return;
            reported.add('yarn');
            report(cmd, 'yarn install without yarn cache clean in the same RUN keeps its download cache in the layer: end the RUN with && yarn cache clean');
          } else {
            const words = pipWords(cmd);
            if (!words || subOf(words, PIP_VALUED) !== 'install') return;
            if (words.some((w) => w === '--no-cache-dir' || w.startsWith('--no-cache-dir='))) return;
            if (cmd.assignments.some((a) => a.startsWith('PIP_NO_CACHE_DIR='))) return;
            if (mountedOver(ins, PIP_CACHE) || removesAfter(cmds, k, PIP_CACHE) || cleansAfter(cmds, k, [program], ['cache'], 'purge')) return;
            pipOff ??= instructionsBefore(chain, stage, ins).some(
              (i) => (i.keyword === 'ENV' || i.keyword === 'ARG') && i.properties?.some((p) => p.name === 'PIP_NO_CACHE_DIR' && p.value !== undefined && p.value !== ''),
            );
            if (pipOff) return;
            const name = /^python/.test(program) ? `${program} -m pip` : program;
            report(cmd, `${name} install without --no-cache-dir keeps its download cache in the layer: add --no-cache-dir (or set ENV PIP_NO_CACHE_DIR=1)`);
          }
        });
      }
    }
  },
};
