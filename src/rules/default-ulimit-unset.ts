import type { Rule } from '../core/rule.js';
import { daemonConfig, daemonSubject, defaultSource, given } from './support/daemon.js';

/**
 * CIS 2.8 (manual): a default ulimit for containers. No value is wrong in
 * itself, so a set one is not judged; none set is worth a look, as
 * docker-bench says too.
 */
export const defaultUlimitUnset: Rule = {
  id: 'BH067',
  name: 'default-ulimit-unset',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-2.8'],
  aliases: [],
  docs: {
    summary: 'The daemon sets no default ulimit for containers.',
    rationale:
      'Without --default-ulimit, containers inherit the limits dockerd itself runs with (often high ones from its systemd unit), so one container can open files or start processes up to those; a default for all containers, overridden per container where needed, keeps that in check.',
    remediation: {
      docker: 'dockerd --default-ulimit nofile=1024:2048 --default-ulimit nproc=1024:2048, or "default-ulimits" in /etc/docker/daemon.json, sized for the workloads',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    // Not set is only known when both the command line and daemon.json were read.
    if (!daemon?.complete || given(daemon, 'default-ulimits', (v) => v) !== undefined) return;
    ctx.report({ subject: daemonSubject(daemon), at: { path: 'default-ulimits' }, message: `no default ulimit is set for containers (${defaultSource(daemon, 'default-ulimits')})` });
  },
};
