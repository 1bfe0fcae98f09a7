import type { Rule } from '../core/rule.js';
import { asString, daemonConfig, daemonSubject, given } from './support/daemon.js';

/** Default actions that let a system call no rule names through. */
const ALLOWS = new Set(['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG']);

/**
 * CIS 2.17 is manual (apply a custom daemon-wide profile where it helps); what
 * can be decided is the harm: a daemon-wide profile that filters nothing.
 * /info SecurityOptions names the profile in effect (`profile=unconfined`, or
 * no seccomp entry at all: no filtering); else seccomp-profile as given. A
 * profile file whose defaultAction allows is a deny-list: every system call
 * it does not name, including new ones, is allowed.
 */
export const daemonSeccompUnconfined: Rule = {
  id: 'BH065',
  name: 'daemon-seccomp-unconfined',
  severity: 'high',
  category: 'daemon',
  references: ['CIS-2.17'],
  aliases: [],
  docs: {
    summary: 'The daemon-wide seccomp profile does not restrict system calls.',
    rationale:
      'Docker\'s default seccomp profile blocks about 50 system calls that containers do not need and that have been used to escape them (keyctl, unshare without CAP_SYS_ADMIN, userfaultfd…). An unconfined or allow-by-default daemon profile removes that for every container that does not bring its own.',
    remediation: {
      docker: 'remove --seccomp-profile / "seccomp-profile" to use Docker\'s default profile, or point it at a profile whose defaultAction is SCMP_ACT_ERRNO',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const subject = daemonSubject(daemon);
    const setting = given(daemon, 'seccomp-profile', asString);
    const options = daemon.info?.securityOptions;
    if (options !== undefined && !options.some((o) => o.split(',').includes('name=seccomp'))) {
      ctx.report({ subject, at: { path: 'SecurityOptions' }, message: 'containers run without seccomp: GET /info SecurityOptions has no name=seccomp (the kernel or the build lacks it)' });
      return;
    }
    const inEffect = options?.find((o) => o.split(',').includes('name=seccomp'))?.match(/(?:^|,)profile=([^,]*)/)?.[1];
    if ((inEffect ?? setting?.value) === 'unconfined') {
      const source = setting?.value === 'unconfined' ? setting.source : 'GET /info SecurityOptions';
      ctx.report({ subject, at: setting?.value === 'unconfined' ? setting.at : { path: 'SecurityOptions' }, message: `the daemon-wide seccomp profile is unconfined (${source})` });
      return;
    }
    const profile = daemon.seccompProfile;
    if (profile && ALLOWS.has(profile.defaultAction)) {
      ctx.report({
        subject,
        at: profile.at,
        severity: 'medium',
        message: `the daemon-wide seccomp profile ${profile.path} allows every system call it does not name (defaultAction ${profile.defaultAction} at ${profile.at.loc!.file}:${profile.at.loc!.line}:${profile.at.loc!.column}${setting ? `; set by ${setting.source}` : ''})`,
      });
    }
  },
};
