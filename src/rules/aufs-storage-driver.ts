import type { Rule } from '../core/rule.js';
import { asString, daemonConfig, daemonSubject, fromInfo, given } from './support/daemon.js';

/**
 * CIS 2.6. /info's Driver is the authority (dockerd picks a driver itself
 * when none is set); without /info, only a given storage-driver decides.
 */
export const aufsStorageDriver: Rule = {
  id: 'BH055',
  name: 'aufs-storage-driver',
  severity: 'medium',
  category: 'daemon',
  references: ['CIS-2.6'],
  aliases: [],
  docs: {
    summary: 'The Docker daemon uses the aufs storage driver.',
    rationale:
      'aufs is an out-of-tree filesystem, unmaintained and removed from Docker 24: it has had kernel crashes and security bugs that will not be fixed. overlay2 is the supported driver.',
    remediation: {
      docker: 'dockerd --storage-driver=overlay2, or "storage-driver": "overlay2" in /etc/docker/daemon.json (images and containers must be pulled or recreated)',
    },
  },
  needs: ['daemon-config'],
  check(ctx) {
    const daemon = daemonConfig(ctx.workload);
    if (!daemon) return;
    const setting = given(daemon, 'storage-driver', asString);
    const driver = fromInfo(daemon.info?.driver, 'Driver') ?? setting;
    if (driver?.value !== 'aufs') return;
    const shown = setting?.value === 'aufs' ? setting : driver;
    ctx.report({ subject: daemonSubject(daemon), at: shown.at, message: `the storage driver is aufs (${shown.source})` });
  },
};
