import type { Rule } from '../core/rule.js';
import { asString, daemonConfig, daemonSubject, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/** CIS 2.10: the default cgroup parent is left alone unless needed; a given cgroup-parent is shown to be confirmed. */
export const defaultCgroupParentChanged: Rule = {
  id: 'BH058',
  name: 'default-cgroup-parent-changed',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-2.10'],
  aliases: [],
  docs: {
    summary: 'The daemon puts containers under a cgroup parent other than Docker\'s default.',
    rationale:
      'The cgroup parent decides which resource limits apply over all containers together. A changed parent may be right (a slice with its own limits), but it should be a decision: under a parent without limits, containers together can starve the host.',
    remediation: {
      docker: 'confirm the cgroup, or remove --cgroup-parent from dockerd\'s command line and "cgroup-parent" from /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const parent = given(daemon, 'cgroup-parent', asString);
    if (!parent || parent.value === '') return;
    ctx.report({ subject: daemonSubject(daemon), at: parent.at, message: `containers go under cgroup parent ${quoted(parent.value)} (${parent.source}): confirm it is meant` });
  },
};
