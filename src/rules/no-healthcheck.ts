import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const noHealthcheck: Rule = {
  id: 'BH032',
  name: 'no-healthcheck',
  severity: 'low',
  category: 'availability',
  references: ['CIS-4.6'],
  aliases: ['DL3057', 'CIS-DI-0006', 'DS-0026', 'CKV_DOCKER_2', 'CKV_K8S_8', 'CKV_K8S_9', 'kics: Healthcheck Instruction Missing'],
  docs: {
    summary: 'The container has no health check, or its health check is disabled.',
    rationale:
      'Without a health check the engine only knows that the process exists, not that it works: a hung or subverted service keeps running and keeps its traffic, and nothing can restart or replace it.',
    remediation: {
      docker: '--health-cmd (e.g. --health-cmd "wget -q -O- http://localhost/ || exit 1"), or HEALTHCHECK in the Dockerfile',
      compose: 'healthcheck.test',
      kubernetes: 'livenessProbe and readinessProbe',
      ecs: '"healthCheck" in the container definition',
      dockerfile: 'HEALTHCHECK CMD … in the final stage (HEALTHCHECK NONE disables an inherited one)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      const hc = c.healthcheck;
      if (hc.origin === 'absent') return;
      if (hc.value === undefined) report(hc, 'no health check defined');
      else if (hc.value.test[0] === 'NONE') report(hc, 'health check disabled (NONE)');
    });
  },
};
