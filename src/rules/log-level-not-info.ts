import type { Rule } from '../core/rule.js';
import { asBool, asString, daemonConfig, daemonSubject, fromInfo, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/**
 * CIS 2.3: the daemon logs at `info`. dockerd's default is info, so only a
 * given log-level other than info, or debug mode (`-D`, `"debug": true`, or
 * /info Debug, the authority on whether debug is on), is a finding.
 */
export const logLevelNotInfo: Rule = {
  id: 'BH052',
  name: 'log-level-not-info',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.3'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon does not log at the info level.',
    rationale:
      'Below info (warn, error, fatal) the daemon drops events an investigation needs; debug logs far more than is useful and can write request details, including secrets, to the logs.',
    remediation: {
      docker: 'remove --log-level and -D/--debug from dockerd\'s command line, or set "log-level": "info" (and no "debug": true) in /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const subject = daemonSubject(daemon);
    const level = given(daemon, 'log-level', asString);
    if (level && level.value !== 'info') {
      ctx.report({ subject, at: level.at, message: `the daemon logs at level ${quoted(level.value)}, not info (${level.source})` });
    }
    const debug = fromInfo(daemon.info?.debug, 'Debug') ?? given(daemon, 'debug', asBool);
    if (debug?.value === true) {
      const setting = given(daemon, 'debug', asBool);
      ctx.report({ subject, at: setting?.at ?? debug.at, message: `the daemon runs in debug mode (${setting?.value === true ? setting.source : debug.source})` });
    }
  },
};
