import type { Rule } from '../core/rule.js';
import { asBool, daemonConfig, daemonSubject, effective, fromInfo, given } from './support/daemon.js';

/**
 * CIS 2.15. /info LiveRestoreEnabled is the authority; without it,
 * live-restore as given, off by default. A swarm node cannot have it (dockerd
 * refuses the combination), so it is not asked of one.
 */
export const liveRestoreDisabled: Rule = {
  id: 'BH063',
  name: 'live-restore-disabled',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.15'],
  aliases: [],
  docs: {
    summary: 'Containers stop whenever the Docker daemon stops (live-restore is off).',
    rationale:
      'Without live restore, upgrading or restarting dockerd stops every container, which discourages applying daemon security updates. With it, containers keep running while the daemon is down.',
    remediation: {
      docker: 'dockerd --live-restore, or "live-restore": true in /etc/docker/daemon.json (then reload with SIGHUP or restart)',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    if (daemon.info?.swarm === 'active' || daemon.info?.swarm === 'pending' || daemon.info?.swarm === 'locked') return;
    const setting = given(daemon, 'live-restore', asBool);
    const live = fromInfo(daemon.info?.liveRestoreEnabled, 'LiveRestoreEnabled') ?? effective(daemon, 'live-restore', false, asBool);
    if (live?.value !== false) return;
    const shown = setting?.value === false ? setting : live;
    ctx.report({ subject: daemonSubject(daemon), at: shown.at, message: `live restore is off: containers stop when dockerd stops (${shown.source})` });
  },
};
