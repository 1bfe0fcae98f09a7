import type { Rule } from '../core/rule.js';

/** Node states in which the engine is, or is becoming, part of a swarm. */
const IN_SWARM = new Set(['active', 'pending', 'locked']);

export const swarmModeEnabled: Rule = {
  id: 'BH030',
  name: 'swarm-mode-enabled',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-5.1'],
  aliases: [],
  docs: {
    summary: 'The Docker engine is in swarm mode.',
    rationale:
      'Swarm mode opens the cluster management port (2377) and the node\'s gossip and overlay ports, and holds cluster secrets and keys; an engine that does not need to be part of a swarm should not be.',
    remediation: {
      docker: 'docker swarm leave (on a node that does not need swarm mode)',
    },
  },
  needs: ['daemon'],
  check(ctx) {
    const daemon = ctx.workload.daemon;
    if (!daemon || daemon.swarm.origin === 'absent') return;
    if (IN_SWARM.has(daemon.swarm.value)) {
      ctx.report({ subject: { kind: 'daemon', name: daemon.name }, at: daemon.swarm, message: `swarm mode is ${daemon.swarm.value}` });
    }
  },
};
