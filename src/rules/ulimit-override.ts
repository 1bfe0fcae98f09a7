import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const ulimitOverride: Rule = {
  id: 'BH023',
  name: 'ulimit-override',
  severity: 'info',
  category: 'resources',
  references: ['CIS-5.19'],
  aliases: [],
  docs: {
    summary: 'The container overrides the daemon\'s default ulimits.',
    rationale:
      'Per-container ulimits replace the limits the daemon sets for every container; a raised limit (open files, processes, locked memory, core size) should be one the workload really needs, so each override is listed for review.',
    remediation: {
      docker: 'remove the --ulimit flags the workload does not need (set defaults daemon-wide with dockerd --default-ulimit)',
      compose: 'remove the entries under ulimits',
      ecs: 'remove the entries from "ulimits" in the container definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.ulimits.origin === 'absent') return;
      for (const u of c.ulimits.value) report(u, `overrides ulimit ${u.name} (soft ${limit(u.soft)}, hard ${limit(u.hard)})`);
    });
  },
};

/** -1 is how the engine stores "unlimited". */
function limit(n: number): string {
  return n === -1 ? 'unlimited' : String(n);
}
