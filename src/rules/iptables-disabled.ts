import type { Rule } from '../core/rule.js';
import { asBool, daemonConfig, daemonSubject, given } from './support/daemon.js';

/** CIS 2.4: dockerd manages iptables unless told not to; only `iptables: false` is a finding. */
export const iptablesDisabled: Rule = {
  id: 'BH053',
  name: 'iptables-disabled',
  severity: 'medium',
  category: 'daemon',
  references: ['CIS-2.4'],
  aliases: [],
  docs: {
    summary: 'Docker is not allowed to manage the host\'s iptables rules (iptables is false).',
    rationale:
      'Docker keeps the firewall in step with the networks and published ports it creates, including the isolation between bridge networks and icc=false. Without it, that isolation is gone unless someone writes and maintains the same rules by hand.',
    remediation: {
      docker: 'remove --iptables=false from dockerd\'s command line, or "iptables": false from /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const iptables = given(daemon, 'iptables', asBool);
    if (iptables?.value !== false) return;
    ctx.report({ subject: daemonSubject(daemon), at: iptables.at, message: `Docker may not change iptables (${iptables.source})` });
  },
};
