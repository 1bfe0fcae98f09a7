import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const noCpuLimit: Rule = {
  id: 'BH019',
  name: 'no-cpu-limit',
  severity: 'low',
  category: 'resources',
  references: ['CIS-5.12'],
  aliases: ['KSV-0011', 'CKV_K8S_11', 'kics: Cpus Not Limited'],
  docs: {
    summary: 'The container has neither a CPU limit nor a CPU weight of its own.',
    rationale:
      'With the default weight and no quota, a busy container competes for every CPU on equal terms with the rest of the host and can starve its neighbours.',
    remediation: {
      docker: '--cpus (e.g. --cpus 1.5), or --cpu-shares for a relative weight',
      compose: 'deploy.resources.limits.cpus (or cpus / cpu_shares)',
      kubernetes: 'resources.limits.cpu',
      ecs: 'set the task-level "cpu" (the hard limit); the container\'s "cpu" is only a relative weight',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      const { cpuShares, nanoCpus, cpuQuota } = c;
      // Any one of the three may be what limits the container, so all must be known.
      if (cpuShares.origin === 'absent' || nanoCpus.origin === 'absent' || cpuQuota.origin === 'absent') return;
      // 1024 is the default weight: writing it down changes nothing.
      const weighted = cpuShares.value !== 0 && cpuShares.value !== 1024;
      if (weighted || nanoCpus.value > 0 || cpuQuota.value > 0) return;
      if (cpuShares.origin === 'explicit') report(cpuShares, 'no CPU limit or quota; CPU shares 1024 is the default weight');
      else report(nanoCpus, 'no CPU limit, quota or weight');
    });
  },
};
