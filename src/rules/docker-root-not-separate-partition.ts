import type { Rule } from '../core/rule.js';
import { mountOf, parentOf } from './support/host-paths.js';

export const dockerRootNotSeparatePartition: Rule = {
  id: 'BH047',
  name: 'docker-root-not-separate-partition',
  severity: 'low',
  category: 'availability',
  references: ['CIS-1.1.1'],
  aliases: [],
  docs: {
    summary: 'The Docker root dir is not on a partition of its own.',
    rationale:
      'Images, containers\' writable layers, volumes and logs grow under the Docker root dir; when it shares a partition with the rest of the host, a container that fills its disk fills the host\'s too, and the host\'s own services fail with it.',
    remediation: {
      docker:
        'mount a dedicated partition or logical volume at the Docker root dir (dockerd --data-root, daemon.json "data-root"; /var/lib/docker by default) with an /etc/fstab line such as `/dev/vg0/docker /var/lib/docker ext4 defaults 0 2`, then restart the daemon',
    },
  },
  needs: ['host-system'],
  check(ctx) {
    const host = ctx.workload.host;
    const system = host?.system;
    if (!host || !system?.mounts || !system.dockerRoot) return; // no table, or no Docker root here: nothing to know
    const { mounts } = system.mounts;
    const root = system.dockerRoot;
    const mount = mountOf(mounts, root.realPath);
    if (!mount) return;
    const where = `${root.path}${root.realPath === root.path ? '' : ` (really ${root.realPath})`}${root.from === 'info' ? ", the engine's DockerRootDir," : ''}`;
    const subject = { kind: 'host' as const, name: host.name };
    if (mount.mountPoint !== root.realPath) {
      ctx.report({
        subject,
        at: mount.at,
        message: `the Docker root dir ${where} is on the partition mounted at ${mount.mountPoint} (${mount.device}, ${mount.fsType}), not on one of its own`,
      });
      return;
    }
    // Mounted at the root dir, but a bind mount from the block device under it is the same partition.
    const under = mountOf(mounts, parentOf(root.realPath));
    if (under && mount.device.startsWith('/dev/') && mount.device === under.device) {
      ctx.report({
        subject,
        at: mount.at,
        message: `the Docker root dir ${where} is mounted from ${mount.device}, the same device as ${under.mountPoint}: a bind mount, not a partition of its own`,
      });
    }
  },
};
