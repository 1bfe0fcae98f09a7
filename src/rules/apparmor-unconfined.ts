import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { daemonHas } from '../model/workload.js';

export const apparmorUnconfined: Rule = {
  id: 'BH010',
  name: 'apparmor-unconfined',
  severity: 'high',
  category: 'mac',
  references: ['CIS-5.2'],
  aliases: ['KSV-0002', 'kics: Security Opt Not Set'],
  docs: {
    summary: 'The container runs without an AppArmor profile.',
    rationale:
      'Docker confines every container with its docker-default AppArmor profile, which denies mount, writes to /proc and /sys and raw access to kernel memory; apparmor=unconfined removes that layer, leaving capabilities and seccomp as the only barrier. ' +
      'A container with no profile at all is reported only when the engine supports AppArmor: on a host whose kernel has no AppArmor (the engine\'s /info SecurityOptions lack name=apparmor) no container can have a profile, so a per-container finding would be noise.',
    remediation: {
      docker: 'remove --security-opt apparmor=unconfined; use the default profile or --security-opt apparmor=<profile>',
      compose: 'remove `apparmor=unconfined` from security_opt',
      kubernetes: 'set securityContext.appArmorProfile.type: RuntimeDefault (or Localhost with a profile)',
      ecs: 'remove "apparmor:unconfined" from dockerSecurityOptions (EC2 launch type)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    const hostHasAppArmor = daemonHas(ctx.workload.daemon, 'apparmor');
    eachContainer(ctx, (c, report) => {
      if (c.apparmor.origin === 'absent') return;
      // Privileged already means unconfined; privileged-container reports it.
      if (c.privileged.origin !== 'absent' && c.privileged.value) return;
      if (c.apparmor.value === 'unconfined') {
        report(c.apparmor, 'runs with AppArmor profile unconfined: no mandatory access control');
      } else if (c.apparmor.value === '' && hostHasAppArmor === true) {
        report(c.apparmor, 'runs with no AppArmor profile although the engine supports AppArmor', 'medium');
      }
    });
  },
};
