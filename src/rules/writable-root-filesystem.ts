import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const writableRootFilesystem: Rule = {
  id: 'BH020',
  name: 'writable-root-filesystem',
  severity: 'medium',
  category: 'filesystem',
  references: ['CIS-5.13'],
  aliases: ['KSV-0014', 'CKV_K8S_22', 'CKV_AWS_336'],
  docs: {
    summary: 'The container\'s root filesystem is writable.',
    rationale:
      'An intruder who can write to the image\'s files can replace binaries, drop tools and persist across process restarts; a read-only root with explicit volumes or tmpfs for the data keeps the image as built.',
    remediation: {
      docker: '--read-only (with --tmpfs or volumes for the paths it must write)',
      compose: 'read_only: true',
      kubernetes: 'securityContext.readOnlyRootFilesystem: true',
      ecs: '"readonlyRootFilesystem": true in the container definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.readOnlyRootfs.origin !== 'absent' && !c.readOnlyRootfs.value) report(c.readOnlyRootfs, 'root filesystem is writable');
    });
  },
};
