import type { Rule } from '../core/rule.js';
import { asStrings, daemonConfig, daemonSubject, elementOf, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/** CIS 2.11: the devicemapper base device size (storage-opts dm.basesize) is not changed until needed. */
export const dmBasesizeChanged: Rule = {
  id: 'BH059',
  name: 'dm-basesize-changed',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-2.11'],
  aliases: [],
  docs: {
    summary: 'The devicemapper base device size (dm.basesize) is changed.',
    rationale:
      'dm.basesize sets how big every container\'s filesystem may grow. Raised without need, containers can fill the pool the host shares; lowering it later does not shrink existing devices.',
    remediation: {
      docker: 'remove --storage-opt dm.basesize=... from dockerd\'s command line and "dm.basesize=..." from "storage-opts" in /etc/docker/daemon.json, unless it is needed',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const opts = given(daemon, 'storage-opts', asStrings)?.value ?? [];
    opts.forEach((opt, i) => {
      if (!/^\s*dm\.basesize\s*=/i.test(opt)) return;
      const where = elementOf(daemon, 'storage-opts', i)!;
      ctx.report({ subject: daemonSubject(daemon), at: where.at, message: `the base device size is changed to ${quoted(opt.slice(opt.indexOf('=') + 1).trim())} (${where.source})` });
    });
  },
};
