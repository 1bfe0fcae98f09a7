import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const selinuxDisabled: Rule = {
  id: 'BH011',
  name: 'selinux-disabled',
  severity: 'medium',
  category: 'mac',
  references: ['CIS-5.3'],
  aliases: ['KSV-0025'],
  docs: {
    summary: 'The container turns SELinux separation off.',
    rationale:
      'On an SELinux host the engine gives each container its own MCS label, so a process that escapes still cannot touch other containers\' or the host\'s files. label=disable, or the spc_t ("super privileged container") type, runs the container unconfined. ' +
      'A container with no label option is fine: the engine labels it.',
    remediation: {
      docker: 'remove --security-opt label=disable (or label=type:spc_t); use label=type:<a confined type> if the default does not fit',
      compose: 'remove `label=disable` / `label=type:spc_t` from security_opt',
      kubernetes: 'remove securityContext.seLinuxOptions.type: spc_t',
      ecs: 'remove "label:disable" / "label:type:spc_t" from dockerSecurityOptions',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.selinux.origin === 'absent') return;
      for (const opt of c.selinux.value) {
        if (opt.includes('disable')) report(c.selinux, `disables SELinux labelling (label=${opt})`);
        else if (opt === 'type:spc_t') report(c.selinux, 'runs as the unconfined SELinux type spc_t (label=type:spc_t)');
      }
    });
  },
};
