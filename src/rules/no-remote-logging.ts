import type { Rule } from '../core/rule.js';
import { asString, daemonConfig, daemonSubject, effective, fromInfo, given } from './support/daemon.js';
import { quoted } from '../reporters/sanitize.js';

/** Log drivers that keep container logs on this host only (or nowhere). */
const LOCAL_ONLY = new Set(['json-file', 'local', 'none']);

/**
 * CIS 2.13. /info LoggingDriver is the authority; without it, log-driver as
 * given, json-file by default. syslog and journald hand logs to the host's
 * log service, which can forward them: they pass, as the benchmark allows.
 */
export const noRemoteLogging: Rule = {
  id: 'BH061',
  name: 'no-remote-logging',
  severity: 'low',
  category: 'daemon',
  references: ['CIS-2.13'],
  aliases: [],
  docs: {
    summary: 'Container logs stay on the Docker host: no central or remote logging is configured.',
    rationale:
      'Logs kept only on the host are lost with it, rotated away, and can be erased by whoever compromises it. Sent to a log service, they survive for investigation and can be watched in one place.',
    remediation: {
      docker: 'dockerd --log-driver=syslog --log-opt syslog-address=tcp://LOGHOST:514 (or journald, gelf, fluentd…), or "log-driver" and "log-opts" in /etc/docker/daemon.json',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const setting = given(daemon, 'log-driver', asString);
    const driver = fromInfo(daemon.info?.loggingDriver, 'LoggingDriver') ?? effective(daemon, 'log-driver', 'json-file', asString);
    if (!driver || !LOCAL_ONLY.has(driver.value)) return;
    const shown = setting?.value === driver.value ? setting : driver;
    ctx.report({ subject: daemonSubject(daemon), at: shown.at, message: `containers log with the ${quoted(driver.value)} driver, which keeps logs on this host (${shown.source})` });
  },
};
