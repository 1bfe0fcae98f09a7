import type { Rule } from '../core/rule.js';
import { instructionsInScope, programOf, type ShellCommand, subcommandOf } from '../model/build.js';

/** A package manager family: its programs, the options that take a value, and its subcommands that refresh the index, install (reading the index), or upgrade everything. */
interface Family {
  readonly programs: readonly string[];
  readonly valued: readonly string[];
  readonly update: readonly string[];
  readonly install: readonly string[];
  /** Subcommands that upgrade every installed package when given no package names. */
  readonly upgradeAll: readonly string[];
  /** Subcommands that upgrade the whole system even with names (they take none). */
  readonly upgradeAlways: readonly string[];
  /** How to write the fix, for the program used. */
  readonly together: (program: string) => string;
}

const FAMILIES: readonly Family[] = [
  {
    programs: ['apt-get', 'apt', 'aptitude'],
    valued: ['-o', '-c', '-t', '--option', '--config-file', '--target-release', '--default-release'],
    update: ['update'],
    install: ['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'safe-upgrade', 'build-dep', 'source', 'download', 'satisfy'],
    upgradeAll: ['upgrade', 'safe-upgrade'],
    upgradeAlways: ['dist-upgrade', 'full-upgrade'],
    together: (p) => `${p} update && ${p} install -y …`,
  },
  {
    programs: ['apk'],
    valued: ['-X', '--repository', '-p', '--root', '--arch', '--cache-dir', '--keys-dir', '--repositories-file', '--cache-max-age', '--timeout'],
    update: ['update'],
    install: ['add', 'upgrade', 'fix'],
    upgradeAll: ['upgrade'],
    upgradeAlways: [],
    together: () => 'apk add --no-cache … (it reads a fresh index itself)',
  },
  {
    programs: ['yum', 'dnf', 'microdnf', 'tdnf'],
    valued: ['-c', '--config', '-x', '--exclude', '--installroot', '--releasever', '-d', '--debuglevel', '-e', '--errorlevel', '--repo', '--repoid', '--enablerepo', '--disablerepo'],
    update: ['makecache'],
    install: ['install', 'groupinstall', 'localinstall', 'reinstall', 'downgrade', 'update', 'upgrade', 'upgrade-minimal', 'update-minimal', 'distro-sync', 'group', 'builddep', 'module'],
    upgradeAll: ['update', 'upgrade', 'upgrade-minimal', 'update-minimal'],
    upgradeAlways: ['distro-sync'],
    together: (p) => `${p} install -y … (it refreshes the metadata itself)`,
  },
  {
    programs: ['zypper'],
    valued: ['-c', '--config', '-R', '--root', '--installroot', '-p', '--plus-repo', '-D', '--reposd-dir', '-C', '--cache-dir'],
    update: ['refresh', 'ref'],
    install: ['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si'],
    upgradeAll: ['update', 'up'],
    upgradeAlways: ['dist-upgrade', 'dup'],
    together: () => 'zypper refresh && zypper install -y …',
  },
];

function familyOf(cmd: ShellCommand): Family | undefined {
  const program = programOf(cmd);
  return FAMILIES.find((f) => f.programs.includes(program));
}

/** True when words after the subcommand name packages (not only options). */
function namesPackages(cmd: ShellCommand, index: number, family: Family): boolean {
  for (let i = index + 1; i < cmd.args.length; i++) {
    const a = cmd.args[i]!;
    if (a.startsWith('-')) {
      if (family.valued.includes(a)) i++;
      continue;
    }
    return true;
  }
  return false;
}

export const updateWithoutInstall: Rule = {
  id: 'BH035',
  name: 'update-without-install',
  severity: 'medium',
  category: 'build',
  references: ['CIS-4.7'],
  aliases: [
    'CIS-DI-0007',
    'DKL-DI-0003',
    'DS-0017',
    'DS-0024',
    'CKV_DOCKER_5',
    'DL3035',
    'kics: Update Instruction Alone',
    'kics: Run Using Upgrade Commands',
  ],
  docs: {
    summary: 'A RUN refreshes the package index (`apt-get update`, `apk update`, `yum makecache`) without installing anything, or upgrades every package of the base image.',
    rationale:
      'The build cache keeps a RUN\'s layer as long as its text is unchanged, so a lone `apt-get update` is run once and then reused for months: a later `apt-get install` in another RUN reads that stale index and installs old, vulnerable versions, or fails when the mirror has dropped them. Refreshing and installing in the same RUN makes them one cache entry. Upgrading every package (`apt-get upgrade`, `dist-upgrade`, `apk upgrade`, `yum update` with no package names) is reported too, at low severity: the result depends on the day of the build, it cannot be reproduced, and it hides that the base image is out of date; a current base image fixes the same packages for everyone. This rule looks at every stage that is built (final, ancestors and builders, ONBUILD triggers included): a stale index in a builder stage builds stale artifacts.',
    remediation: {
      docker: 'in the Dockerfile: refresh and install in one RUN (RUN apt-get update && apt-get install -y PKG …); rebuild on a current base image instead of upgrading everything',
      dockerfile:
        'RUN apt-get update && apt-get install -y --no-install-recommends PKG && rm -rf /var/lib/apt/lists/* (one RUN); apk add --no-cache PKG; yum install -y PKG && yum clean all; instead of upgrading everything, move FROM to a current tag (or upgrade named packages only)',
    },
  },
  needs: ['build'],
  check(ctx) {
    for (const build of ctx.workload.builds ?? []) {
      for (const { instruction: ins } of instructionsInScope(build, 'built', 'RUN')) {
        const cmds = ins.commands ?? [];
        cmds.forEach((cmd, k) => {
          const family = familyOf(cmd);
          if (!family) return;
          const sub = subcommandOf(cmd, family.valued);
          if (!sub) return;
          const program = programOf(cmd);
          if (family.update.includes(sub.name)) {
            const installsLater = cmds.slice(k + 1).some((next) => {
              if (familyOf(next) !== family) return false;
              const s = subcommandOf(next, family.valued);
              return s !== undefined && family.install.includes(s.name);
            });
            if (!installsLater) {
              ctx.report({
                subject: build.subject,
                at: cmd,
                message: `${program} ${sub.name} with no install after it in the same RUN: its cached layer goes stale; write ${family.together(program)} in one RUN`,
              });
            }
            return;
          }
          const whole = family.upgradeAlways.includes(sub.name) || (family.upgradeAll.includes(sub.name) && !namesPackages(cmd, sub.index, family));
          if (whole) {
            ctx.report({
              subject: build.subject,
              at: cmd,
              severity: 'low',
              message: `${program} ${sub.name} upgrades every package of the base image at build time: build FROM a current base image instead, or upgrade named packages only`,
            });
          }
        });
      }
    }
  },
};
