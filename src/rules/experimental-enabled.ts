import type { Rule } from '../core/rule.js';
import { asBool, daemonConfig, daemonSubject, fromInfo, given } from './support/daemon.js';

/** CIS 2.18. /info ExperimentalBuild is the authority; without it, experimental as given (off by default, so nothing to assume). */
export const experimentalEnabled: Rule = {
  id: 'BH066',
  name: 'experimental-enabled',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.18'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon runs with experimental features on.',
    rationale:
      'Experimental features are unfinished and less reviewed; they widen the API and may change or break without notice. A production daemon should not offer them.',
    remediation: {
      docker: 'remove --experimental from dockerd\'s command line and "experimental": true from /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const setting = given(daemon, 'experimental', asBool);
    const experimental = fromInfo(daemon.info?.experimentalBuild, 'ExperimentalBuild') ?? setting;
    if (experimental?.value !== true) return;
    const shown = setting?.value === true ? setting : experimental;
    ctx.report({ subject: daemonSubject(daemon), at: shown.at, message: `experimental features are on (${shown.source})` });
  },
};
