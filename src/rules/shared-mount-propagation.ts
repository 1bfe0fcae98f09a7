import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const sharedMountPropagation: Rule = {
  id: 'BH024',
  name: 'shared-mount-propagation',
  severity: 'medium',
  category: 'filesystem',
  references: ['CIS-5.20'],
  aliases: [],
  docs: {
    summary: 'A mount uses shared (or rshared) propagation.',
    rationale:
      'With shared propagation, mounts made inside the container appear on the host and the host\'s new mounts appear in the container: a container that can mount (SYS_ADMIN) can then change what the host sees.',
    remediation: {
      docker: 'drop shared/rshared from the -v options or bind-propagation from --mount; the default rprivate keeps mounts apart',
      compose: 'remove `bind: {propagation: shared}` (or rshared) from the volume',
      kubernetes: 'set volumeMounts[].mountPropagation to None (not Bidirectional)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.mounts.origin === 'absent') return;
      for (const m of c.mounts.value) {
        if (m.propagation === 'shared' || m.propagation === 'rshared')
          report(m, `mounts ${m.type === 'bind' ? 'host path' : m.type} ${m.source} at ${m.destination} with ${m.propagation} propagation`);
      }
    });
  },
};
