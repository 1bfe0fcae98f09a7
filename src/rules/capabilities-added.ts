import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { child } from '../model/path.js';
import { DANGEROUS_CAPS, DOCKER_DEFAULT_CAPS } from '../linux/capabilities.js';
import { own } from '../core/own.js';

export const capabilitiesAdded: Rule = {
  id: 'BH002',
  name: 'capabilities-added',
  severity: 'high',
  category: 'privileges',
  references: ['CIS-5.4'],
  aliases: ['KSV-0022', 'KSV-0005', 'KSV-0003', 'KSV-0004', 'CKV_K8S_25', 'CKV_K8S_39', 'kics: Container Capabilities Unrestricted'],
  docs: {
    summary: 'The container adds Linux capabilities beyond Docker\'s default set.',
    rationale:
      'Each added capability is kernel privilege the container can use against the host. SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH and ALL each lead to a container escape on their own.',
    remediation: {
      docker: 'remove the --cap-add flags; prefer --cap-drop ALL then --cap-add only what the process needs',
      compose: 'remove the entries from cap_add; add cap_drop: [ALL]',
      kubernetes: 'remove them from securityContext.capabilities.add; set capabilities.drop: [ALL]',
      ecs: 'remove them from linuxParameters.capabilities.add',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.capAdd.origin === 'absent') return;
      c.capAdd.value.forEach((cap, i) => {
        // Re-adding a default capability after --cap-drop ALL is least privilege, not an escalation.
        if (DOCKER_DEFAULT_CAPS.has(cap)) return;
        const why = own(DANGEROUS_CAPS, cap);
        report(
          { path: child(c.capAdd.path, i) },
          why ? `adds capability ${cap}: ${why}` : `adds capability ${cap}, beyond Docker's default set`,
          why ? (cap === 'ALL' || cap === 'SYS_ADMIN' || cap === 'SYS_MODULE' ? 'critical' : 'high') : 'medium',
        );
      });
    });
  },
};
