import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { daemonHas } from '../model/workload.js';

/** GET /info reports the daemon-wide --no-new-privileges only from Docker 24.0 (moby#45320). */
const REPORTS_DAEMON_NNP_FROM = 24;

export const noNewPrivilegesUnset: Rule = {
  id: 'BH013',
  name: 'no-new-privileges-unset',
  severity: 'medium',
  category: 'privileges',
  references: ['CIS-5.26'],
  aliases: ['KSV-0001', 'CKV_K8S_20', 'kics: No New Privileges Not Set'],
  docs: {
    summary: 'Processes in the container can gain privileges through setuid or file-capability binaries.',
    rationale:
      'Without no_new_privs, executing a setuid-root or file-capability binary in the container raises the process\'s privileges, the usual way a non-root user in a container becomes root. The flag can be set per container or daemon-wide (dockerd --no-new-privileges); a per-container no-new-privileges=false overrides the daemon. ' +
      'Docker before 24.0 applies the daemon-wide flag but does not report it in GET /info, so on such an engine the daemon-wide setting cannot be confirmed.',
    remediation: {
      docker: '--security-opt no-new-privileges (or run dockerd with --no-new-privileges)',
      compose: 'security_opt: ["no-new-privileges:true"]',
      kubernetes: 'set securityContext.allowPrivilegeEscalation: false',
      ecs: 'add "no-new-privileges" to dockerSecurityOptions (EC2 launch type)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    const daemon = ctx.workload.daemon;
    const daemonWide = daemonHas(daemon, 'no-new-privileges');
    eachContainer(ctx, (c, report) => {
      const nnp = c.noNewPrivileges;
      if (nnp.origin === 'absent' || nnp.value) return;
      // A daemon-wide setting exists only for containers a Docker engine runs.
      const onDocker = c.source.kind === 'engine' || c.source.kind === 'inspect';
      if (!onDocker) {
        report(nnp, nnp.origin === 'explicit' ? 'allows privilege escalation explicitly' : 'does not forbid privilege escalation (no-new-privileges): setuid binaries can raise privileges');
        return;
      }
      if (nnp.origin === 'explicit') {
        report(nnp, 'sets no-new-privileges=false, overriding any daemon-wide setting');
        return;
      }
      if (daemonWide === true) return;
      if (daemonWide === undefined) {
        report(nnp, 'no-new-privileges is not set for the container; the daemon-wide setting could not be checked');
      } else if (majorVersion(daemon!.serverVersion) < REPORTS_DAEMON_NNP_FROM) {
        report(nnp, `no-new-privileges is not set for the container; Docker ${daemon!.serverVersion} does not report the daemon-wide setting, so it could not be checked`);
      } else {
        report(nnp, 'no-new-privileges is set neither for the container nor daemon-wide');
      }
    });
  },
};

/** NaN (unknown) compares false with <, so an unparsable version counts as new enough to trust /info. */
function majorVersion(version: string): number {
  return Number.parseInt(version, 10);
}
