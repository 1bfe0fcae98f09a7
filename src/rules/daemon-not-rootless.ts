import type { Rule } from '../core/rule.js';
import { daemonConfig, daemonSubject, infoHasOption } from './support/daemon.js';

/**
 * CIS 2.1 (manual): run the daemon rootless where possible. Decided by /info
 * (`name=rootless` in SecurityOptions), else by the dockerd process's
 * effective uid in /proc; info only, as the benchmark leaves it to judgement.
 */
export const daemonNotRootless: Rule = {
  id: 'BH050',
  name: 'daemon-not-rootless',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-2.1'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon runs as root, not in rootless mode.',
    rationale:
      'A rootful daemon is root on the host: whoever controls it (the docker group, an exposed socket, a container escape through the engine) controls the host. Rootless mode runs dockerd and its containers as an ordinary user inside a user namespace, so a compromise stays that user\'s.',
    remediation: {
      docker: 'run dockerd-rootless-setuptool.sh install as the user who should run Docker, then use that user\'s daemon (DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock)',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const subject = daemonSubject(daemon);
    const rootless = infoHasOption(daemon, 'rootless');
    if (rootless === false) {
      ctx.report({ subject, at: { path: 'SecurityOptions' }, message: 'the daemon is not rootless: GET /info SecurityOptions has no name=rootless' });
    } else if (rootless === undefined && daemon.process?.uid === 0) {
      ctx.report({ subject, at: { path: 'dockerd' }, message: `the daemon is not rootless: dockerd (PID ${daemon.process.pid}) runs as uid 0` });
    }
  },
};
