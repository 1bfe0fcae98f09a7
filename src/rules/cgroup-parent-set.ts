import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { quoted } from '../reporters/sanitize.js';

export const cgroupParentSet: Rule = {
  id: 'BH025',
  name: 'cgroup-parent-set',
  severity: 'info',
  category: 'resources',
  references: ['CIS-5.25'],
  aliases: [],
  docs: {
    summary: 'The container runs under a cgroup parent other than the daemon\'s default.',
    rationale:
      'The cgroup parent decides which resource limits and accounting the container falls under; a non-default parent can take it out of the limits set for containers, so it should be one someone chose on purpose.',
    remediation: {
      docker: 'remove --cgroup-parent unless the parent is intended',
      compose: 'remove cgroup_parent unless the parent is intended',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.cgroupParent.origin !== 'absent' && c.cgroupParent.value !== '') {
        report(c.cgroupParent, `uses cgroup parent ${quoted(c.cgroupParent.value)}; confirm it is intended`);
      }
    });
  },
};
