import type { Rule } from '../core/rule.js';
import { asStrings, daemonConfig, daemonSubject, effective, fromInfo } from './support/daemon.js';

/** CIS 2.12. /info Plugins.Authorization is the authority (the plugins loaded); without it, authorization-plugins as given, none by default. */
export const noAuthorizationPlugin: Rule = {
  id: 'BH060',
  name: 'no-authorization-plugin',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.12'],
  aliases: [],
  docs: {
    summary: 'No authorization plugin controls who may do what through the Docker API.',
    rationale:
      'Without an authorization plugin, anyone who can reach the daemon\'s socket may do anything, including starting privileged containers: access is all or nothing. A plugin can allow each user only the requests they need.',
    remediation: {
      docker: 'install an authorization plugin, then dockerd --authorization-plugin=PLUGIN, or "authorization-plugins": ["PLUGIN"] in /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const plugins = fromInfo(daemon.info?.authorizationPlugins, 'Plugins.Authorization') ?? effective(daemon, 'authorization-plugins', [], asStrings);
    if (!plugins || plugins.value.length > 0) return;
    ctx.report({ subject: daemonSubject(daemon), at: plugins.at, message: `no authorization plugin is loaded (${plugins.source})` });
  },
};
