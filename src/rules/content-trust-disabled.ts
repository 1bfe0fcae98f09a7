import type { Rule } from '../core/rule.js';
import { quoted } from '../reporters/sanitize.js';

export const contentTrustDisabled: Rule = {
  id: 'BH076',
  name: 'content-trust-disabled',
  severity: 'info',
  category: 'supply-chain',
  references: ['CIS-4.5'],
  aliases: ['CIS-DI-0005'],
  docs: {
    summary: 'Docker content trust is not enabled (DOCKER_CONTENT_TRUST is not 1) in the environment bulkhead runs in.',
    rationale:
      'With DOCKER_CONTENT_TRUST=1 the docker client pulls, runs and builds FROM only signed tags, so a tag moved by whoever controls a registry or a mirror is refused. It is a setting of each client\'s environment, not of the engine, which cannot enforce it: this rule can only say what the shell or CI job running bulkhead does, and is information, not proof, about the other users and jobs that reach the engine. It is not checked when bulkhead audits a host mounted at --root. Signing also needs the images to be signed (Notary); registries and images that are not cannot be pulled with it on.',
    remediation: {
      docker: 'export DOCKER_CONTENT_TRUST=1 in the shells and CI jobs that pull, run or build images (e.g. /etc/environment or the CI job\'s environment)',
    },
  },
  needs: ['images'],
  check(ctx) {
    const client = ctx.workload.client;
    if (!client) return;
    const value = client.contentTrust.value;
    if (value === '1') return;
    ctx.report({
      subject: { kind: 'host', name: client.host },
      at: client.contentTrust,
      message:
        value === ''
          ? 'DOCKER_CONTENT_TRUST is not set in the environment bulkhead runs in: docker pull, run and build from it accept unsigned images (each user\'s and job\'s environment decides for itself)'
          : `DOCKER_CONTENT_TRUST is ${quoted(value)}, not 1, in the environment bulkhead runs in: docker pull, run and build from it accept unsigned images (each user's and job's environment decides for itself)`,
    });
  },
};
