import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostUserns: Rule = {
  id: 'BH007',
  name: 'host-userns',
  severity: 'high',
  category: 'isolation',
  references: ['CIS-5.31'],
  aliases: ['kics: Shared Host User Namespace'],
  docs: {
    summary: "The container opts out of user-namespace remapping and shares the host's user namespace.",
    rationale:
      "On a daemon with userns-remap, root in a container is an unprivileged user on the host; --userns host turns that off for this container, so root in it is root on the host again for every file and device it can reach.",
    remediation: {
      docker: 'remove --userns host',
      compose: 'remove `userns_mode: host`',
      kubernetes: 'set spec.hostUsers: false',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      // Only an explicit 'host' is flagged: without userns-remap every container is in the host's namespace, which is daemon-wide (CIS-2.9), not this container's choice.
      if (c.usernsMode.origin !== 'absent' && c.usernsMode.value === 'host')
        report(c.usernsMode, "shares the host's user namespace: root in the container is root on the host");
    });
  },
};
