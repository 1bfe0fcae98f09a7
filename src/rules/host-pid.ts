import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostPid: Rule = {
  id: 'BH004',
  name: 'host-pid',
  severity: 'high',
  category: 'isolation',
  references: ['CIS-5.16'],
  aliases: ['KSV-0010', 'CKV_K8S_17', 'CKV_AWS_335'],
  docs: {
    summary: "The container shares the host's PID namespace.",
    rationale:
      "The container sees every host process, their command lines and (as the same user) their environment and /proc/PID/root; with SYS_PTRACE or KILL it can inject into or stop them.",
    remediation: {
      docker: 'remove --pid host',
      compose: 'remove `pid: host`',
      kubernetes: 'set spec.hostPID: false',
      ecs: 'remove "pidMode": "host" from the task definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.pidMode.origin !== 'absent' && c.pidMode.value === 'host')
        report(c.pidMode, "shares the host's PID namespace: sees and can signal every host process");
    });
  },
};
