import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const containerUnhealthy: Rule = {
  id: 'BH026',
  name: 'container-unhealthy',
  severity: 'medium',
  category: 'availability',
  references: ['CIS-5.27'],
  aliases: [],
  docs: {
    summary: 'The container\'s health check reports it unhealthy.',
    rationale:
      'An unhealthy container is still running and may still receive traffic: it is failing, possibly because it was tampered with or exhausted, and nothing restarts it on its own.',
    remediation: {
      docker: 'find why `docker inspect --format "{{json .State.Health}}"` fails, then fix or replace the container',
      compose: 'fix the service, or let an orchestrator replace it (depends_on condition: service_healthy)',
      kubernetes: 'a livenessProbe makes the kubelet restart it',
      ecs: 'the service scheduler replaces tasks whose essential container is unhealthy',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.health.origin !== 'absent' && c.health.value === 'unhealthy') report(c.health, 'health check reports unhealthy');
    });
  },
};
