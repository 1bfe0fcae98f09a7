import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { quoted } from '../reporters/sanitize.js';

export const runsAsRoot: Rule = {
  id: 'BH031',
  name: 'runs-as-root',
  severity: 'medium',
  category: 'privileges',
  references: ['CIS-4.1'],
  aliases: [
    'DL3002',
    'CIS-DI-0001',
    'DS-0002',
    'KSV-0012',
    'KSV-0105',
    'KSV-0020',
    'CKV_DOCKER_8',
    'CKV_DOCKER_3',
    'CKV_K8S_23',
    'CKV_K8S_40',
    "kics: Last User Is 'root'",
  ],
  docs: {
    summary: 'The container\'s process runs as root.',
    rationale:
      'Root in a container is root on the host\'s kernel, limited only by capabilities, seccomp and the mount namespace: one escape or one writable host mount away from the host. A non-root user removes a whole class of escalations.',
    remediation: {
      docker: '--user UID:GID (a non-zero UID), or USER in the Dockerfile',
      compose: 'user: "UID:GID"',
      kubernetes: 'securityContext.runAsNonRoot: true and runAsUser: a non-zero UID',
      ecs: '"user": "UID:GID" in the container definition',
      dockerfile: 'USER UID:GID (a non-zero UID) in the final stage',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.user.origin === 'absent') return;
      const user = c.user.value;
      // The engine merges the image's USER into the container's, so '' means the image has none either.
      if (user === '') return report(c.user, "runs as root (no user set; the image's default)");
      const name = user.split(':')[0]!;
      if (name === 'root' || /^0+$/.test(name)) report(c.user, `runs as user ${quoted(user)}`);
    });
  },
};
