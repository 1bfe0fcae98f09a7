import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostUts: Rule = {
  id: 'BH006',
  name: 'host-uts',
  severity: 'medium',
  category: 'isolation',
  references: ['CIS-5.21'],
  aliases: [],
  docs: {
    summary: "The container shares the host's UTS namespace.",
    rationale:
      "The container sees the host's hostname and domain name and, with SYS_ADMIN, can change them for the whole host.",
    remediation: {
      docker: 'remove --uts host',
      compose: 'remove `uts: host`',
      kubernetes: 'set spec.hostNetwork: false (Kubernetes has no separate UTS setting: a host-network pod shares the host\'s UTS namespace)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.utsMode.origin !== 'absent' && c.utsMode.value === 'host')
        report(c.utsMode, "shares the host's UTS namespace: hostname and domain name are the host's");
    });
  },
};
