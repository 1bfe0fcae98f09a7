import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const hostDevice: Rule = {
  id: 'BH022',
  name: 'host-device',
  severity: 'high',
  category: 'isolation',
  references: ['CIS-5.18'],
  aliases: [],
  docs: {
    summary: 'A host device is passed into the container (--device).',
    rationale:
      'A device node gives direct access to host hardware or kernel interfaces: a disk can be read and rewritten below the filesystem, /dev/mem or /dev/kmsg expose the kernel, /dev/fuse or /dev/kvm widen the kernel surface.',
    remediation: {
      docker: 'remove --device; if a device is truly needed, pass only that one with the least cgroup permissions (e.g. --device /dev/X:/dev/X:r)',
      compose: 'remove the entry from the service\'s devices',
      ecs: 'remove it from linuxParameters.devices in the container definition',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.devices.origin === 'absent') return;
      for (const d of c.devices.value)
        report(d, `passes host device ${d.pathOnHost} at ${d.pathInContainer} (cgroup permissions ${d.permissions || 'unset'})`);
    });
  },
};
