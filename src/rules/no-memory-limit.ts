import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const noMemoryLimit: Rule = {
  id: 'BH018',
  name: 'no-memory-limit',
  severity: 'medium',
  category: 'resources',
  references: ['CIS-5.11'],
  aliases: ['KSV-0018', 'CKV_K8S_13', 'kics: Memory Not Limited'],
  docs: {
    summary: 'The container has no memory limit.',
    rationale:
      'Without a limit one container can use all the host\'s memory: a leak or a hostile process starves its neighbours and the daemon, and the kernel\'s OOM killer may pick a process outside it.',
    remediation: {
      docker: '--memory (e.g. --memory 512m)',
      compose: 'deploy.resources.limits.memory (or mem_limit)',
      kubernetes: 'resources.limits.memory',
      ecs: '"memory" in the container definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.memory.origin !== 'absent' && c.memory.value === 0) report(c.memory, 'no memory limit');
    });
  },
};
