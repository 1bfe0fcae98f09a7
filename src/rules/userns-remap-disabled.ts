import type { Rule } from '../core/rule.js';
import { asString, daemonConfig, daemonSubject, effective, infoHasOption } from './support/daemon.js';

/**
 * CIS 2.9. /info is the authority: `name=userns` (remapping on) or
 * `name=rootless` (the whole daemon is in a user namespace) in
 * SecurityOptions. Without /info: a dockerd running as another uid than 0 is
 * rootless; else userns-remap as given, unset being dockerd's default (off).
 */
export const usernsRemapDisabled: Rule = {
  id: 'BH057',
  name: 'userns-remap-disabled',
  severity: 'medium',
  category: 'daemon',
  references: ['CIS-2.9'],
  aliases: [],
  docs: {
    summary: 'Containers\' root is the host\'s root: the daemon does not remap user namespaces.',
    rationale:
      'Without user namespace remapping, uid 0 in a container is uid 0 on the host; a process that escapes the container, or writes to a mounted host path, does so as root. With userns-remap, container root maps to an unprivileged range of host uids.',
    remediation: {
      docker: 'dockerd --userns-remap=default, or "userns-remap": "default" in /etc/docker/daemon.json (with ranges for dockremap in /etc/subuid and /etc/subgid); or run the daemon rootless',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const subject = daemonSubject(daemon);
    const userns = infoHasOption(daemon, 'userns');
    if (userns !== undefined) {
      if (!userns && !infoHasOption(daemon, 'rootless')) {
        ctx.report({ subject, at: { path: 'SecurityOptions' }, message: 'user namespace remapping is off: GET /info SecurityOptions has neither name=userns nor name=rootless' });
      }
      return;
    }
    if (daemon.process?.uid !== undefined && daemon.process.uid !== 0) return;
    const remap = effective(daemon, 'userns-remap', '', asString);
    if (remap?.value !== '') return;
    ctx.report({ subject, at: remap.at, message: `user namespace remapping is off (${remap.source})` });
  },
};
