import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const privilegedContainer: Rule = {
  id: 'BH001',
  name: 'privileged-container',
  severity: 'critical',
  category: 'privileges',
  references: ['CIS-5.5'],
  aliases: ['KSV-0017', 'CKV_K8S_16', 'CKV_AWS_334', 'kics: Privileged Containers Enabled'],
  docs: {
    summary: 'The container runs privileged.',
    rationale:
      'A privileged container gets every capability, every host device, no seccomp or AppArmor confinement and a writable /sys: root in it is root on the host.',
    remediation: {
      docker: 'remove --privileged; add only the capabilities (--cap-add) and devices (--device) it needs',
      compose: 'remove `privileged: true`',
      kubernetes: 'set securityContext.privileged: false',
      ecs: 'set "privileged": false in the container definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.privileged.origin !== 'absent' && c.privileged.value) report(c.privileged, 'runs privileged: all capabilities and host devices, no confinement');
    });
  },
};
