import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const seccompUnconfined: Rule = {
  id: 'BH012',
  name: 'seccomp-unconfined',
  severity: 'high',
  category: 'mac',
  references: ['CIS-5.22'],
  aliases: ['KSV-0104', 'KSV-0030', 'CKV_K8S_31', 'CKV_K8S_32', 'kics: Default Seccomp Profile Disabled'],
  docs: {
    summary: 'The container runs without a seccomp profile.',
    rationale:
      'Docker\'s default seccomp profile blocks about 50 system calls (keyctl, kexec_load, open_by_handle_at, userfaultfd, io_uring, namespace flags of clone without SYS_ADMIN ...) that are behind many kernel exploits and container escapes. seccomp=unconfined gives the container the whole kernel interface.',
    remediation: {
      docker: 'remove --security-opt seccomp=unconfined; use the default profile or --security-opt seccomp=<profile.json>',
      compose: 'remove `seccomp=unconfined` from security_opt',
      kubernetes: 'set securityContext.seccompProfile.type: RuntimeDefault (or Localhost)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.seccomp.origin !== 'absent' && c.seccomp.value === 'unconfined') {
        report(c.seccomp, 'runs with seccomp=unconfined: every system call is allowed');
      }
    });
  },
};
