import type { Rule } from '../core/rule.js';
import { asBool, daemonConfig, daemonSubject, effective } from './support/daemon.js';

/** CIS 2.16: userland-proxy as given, on by default (/info does not say). */
export const userlandProxyEnabled: Rule = {
  id: 'BH064',
  name: 'userland-proxy-enabled',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.16'],
  aliases: [],
  docs: {
    summary: 'Published ports go through docker-proxy processes (userland-proxy is on).',
    rationale:
      'With the userland proxy, every published port runs a docker-proxy process as root on the host, more code reachable from the network; hairpin NAT in the kernel does the same job without it.',
    remediation: {
      docker: 'dockerd --userland-proxy=false, or "userland-proxy": false in /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const proxy = effective(daemon, 'userland-proxy', true, asBool);
    if (proxy?.value !== true) return;
    ctx.report({ subject: daemonSubject(daemon), at: proxy.at, message: `the userland proxy is on (${proxy.source})` });
  },
};
