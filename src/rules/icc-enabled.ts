import type { Rule } from '../core/rule.js';
import { asBool, asString, daemonConfig, daemonSubject, effective, given } from './support/daemon.js';

/**
 * CIS 2.2. Only `icc: false` passes; not set is dockerd's default, true.
 * icc governs the default bridge (docker0) alone: with `bridge: none` there is
 * no default bridge, nothing for icc to open, so no finding.
 */
export const iccEnabled: Rule = {
  id: 'BH051',
  name: 'icc-enabled',
  severity: 'medium',
  category: 'daemon',
  references: ['CIS-2.2'],
  aliases: [],
  docs: {
    summary: 'Containers on the default bridge can talk to each other freely (icc is not false).',
    rationale:
      'With inter-container communication on, every container on the default bridge network reaches every other one on any port; one compromised container can probe and attack the rest. With icc off, only ports explicitly linked or published are reachable.',
    remediation: {
      docker: 'dockerd --icc=false, or "icc": false in /etc/docker/daemon.json (needs iptables: do not combine with --iptables=false); better, put containers on user-defined networks',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    if (given(daemon, 'bridge', asString)?.value === 'none') return;
    const icc = effective(daemon, 'icc', true, asBool);
    if (icc?.value !== true) return;
    ctx.report({ subject: daemonSubject(daemon), at: icc.at, message: `inter-container communication is on for the default bridge (${icc.source})` });
  },
};
