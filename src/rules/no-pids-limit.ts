import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const noPidsLimit: Rule = {
  id: 'BH028',
  name: 'no-pids-limit',
  severity: 'medium',
  category: 'resources',
  references: ['CIS-5.29'],
  aliases: ['kics: Pids Limit Not Set'],
  docs: {
    summary: 'The container has no limit on the number of processes.',
    rationale:
      'Without a PIDs limit a fork bomb or a leak in the container can exhaust the host\'s process table and stop every other container and the host itself from starting processes.',
    remediation: {
      docker: '--pids-limit (e.g. --pids-limit 100)',
      compose: 'pids_limit (or deploy.resources.limits.pids)',
      kubernetes: 'the kubelet\'s podPidsLimit (no per-container field)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.pidsLimit.origin !== 'absent' && c.pidsLimit.value === 0) report(c.pidsLimit, 'no PIDs limit');
    });
  },
};
