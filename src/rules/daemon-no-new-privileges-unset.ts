import type { Rule } from '../core/rule.js';
import { asBool, daemonConfig, daemonSubject, effective, infoHasOption } from './support/daemon.js';

/**
 * CIS 2.14. `name=no-new-privileges` in /info SecurityOptions proves it on;
 * its absence does not prove it off (Docker 20.10 does not list it), so
 * otherwise no-new-privileges as given decides, off by default.
 */
export const daemonNoNewPrivilegesUnset: Rule = {
  id: 'BH062',
  name: 'daemon-no-new-privileges-unset',
  severity: 'medium',
  category: 'daemon',
  references: ['CIS-2.14'],
  aliases: [],
  docs: {
    summary: 'The daemon does not set no-new-privileges for containers by default.',
    rationale:
      'no-new-privileges stops a process from gaining privileges through setuid or setgid binaries and file capabilities. Set daemon-wide, it protects every container that does not ask otherwise, including those started without --security-opt.',
    remediation: {
      docker: 'dockerd --no-new-privileges, or "no-new-privileges": true in /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon || infoHasOption(daemon, 'no-new-privileges')) return;
    const nnp = effective(daemon, 'no-new-privileges', false, asBool);
    if (nnp?.value !== false) return;
    ctx.report({ subject: daemonSubject(daemon), at: nnp.at, message: `containers may gain new privileges unless each one asks otherwise (${nnp.source})` });
  },
};
