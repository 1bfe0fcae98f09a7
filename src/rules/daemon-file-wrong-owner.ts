import type { Rule } from '../core/rule.js';
import type { DaemonConfig, HostFile } from '../model/host.js';
import { FILE_ROLES, OWNER_ITEMS } from '../model/file-roles.js';
import { describeFile } from './support/host-files.js';

export const daemonFileWrongOwner: Rule = {
  id: 'BH070',
  name: 'daemon-file-wrong-owner',
  severity: 'high',
  category: 'daemon',
  references: OWNER_ITEMS,
  aliases: [],
  docs: {
    summary: 'A file that configures or serves the Docker daemon belongs to a user other than root, or to a group other than root (for the Docker socket: other than its socket group).',
    rationale:
      'Whoever owns the unit files, /etc/docker, daemon.json, the TLS and registry certificates or the sockets can change their contents or mode: rewrite how dockerd starts, trust their own CA, or reach the Docker API, which is root on the host. A group other than root gets whatever the group bits allow.',
    remediation: {
      docker:
        'chown root:root FILE; the Docker socket: chown root:docker (or the group of dockerd --group / daemon.json "group"), made lasting with SocketUser=root and SocketGroup=docker in docker.socket; the message gives the command for each file',
    },
  },
  needs: ['host-files'],
  check(ctx) {
    const host = ctx.workload.host;
    const socketGroup = socketGroupOf(host?.daemon);
    for (const f of host?.files ?? []) {
      const wantsSocketGroup = FILE_ROLES[f.role].group === 'docker';
      const ownerOk = f.uid === 0;
      // root's group is stricter than the socket's group, so it is never wrong.
      const groupOk = f.gid === 0 || (wantsSocketGroup && socketGroup.matches(f));
      if (ownerOk && groupOk) continue;
      const wanted = `root:${wantsSocketGroup ? socketGroup.name : 'root'}`;
      const has = `${f.owner ?? f.uid}:${f.group ?? f.gid}`;
      const item = FILE_ROLES[f.role].ownerItem;
      ctx.report({
        subject: { kind: 'file', name: f.path },
        reference: `CIS-${item}`,
        at: { path: ownerOk ? 'group' : 'owner' },
        message: `${describeFile(f)} is owned by ${has}, not ${wanted} (CIS ${item}): chown ${wanted} ${f.path}`,
        // The owner can rewrite or chmod the file; a wrong group only gets the group bits, except on a socket (rw for the group is the point).
        severity: ownerOk && f.type !== 'socket' ? 'medium' : 'high',
      });
    }
  },
};

/** The group the Docker socket should have: the daemon's `group` (dockerd -G, a name or a gid) when set, else `docker`. */
function socketGroupOf(daemon: DaemonConfig | undefined): { name: string; matches(f: HostFile): boolean } {
  const set = daemon?.settings.get('group')?.value;
  const name = typeof set === 'string' && set !== '' ? set : 'docker';
  return { name, matches: (f) => f.group === name || (/^\d+$/.test(name) && f.gid === Number(name)) };
}
