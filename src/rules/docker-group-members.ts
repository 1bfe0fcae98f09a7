import type { Rule } from '../core/rule.js';

export const dockerGroupMembers: Rule = {
  id: 'BH048',
  name: 'docker-group-members',
  severity: 'info',
  category: 'privileges',
  references: ['CIS-1.1.2'],
  aliases: [],
  docs: {
    summary: 'Users are in the docker group: check that each one is trusted with root.',
    rationale:
      'Members of the docker group can use the Docker socket, and so run a privileged container with the host\'s / mounted: the group is as good as root. The benchmark asks that only trusted users be in it (a manual check: this lists them).',
    remediation: {
      docker:
        'remove those who need not control Docker with `gpasswd -d USER docker` (for a user whose primary group is docker, `usermod -g OTHERGROUP USER`); consider rootless Docker for the others',
    },
  },
  needs: ['host-system'],
  check(ctx) {
    const host = ctx.workload.host;
    const group = host?.system?.dockerGroup;
    if (!host || !group || group.members.length === 0) return;
    const names = group.members.map((m) => (m.via === 'primary' ? `${m.name} (primary group, ${m.at.loc?.file ?? '/etc/passwd'}:${m.at.loc?.line ?? '?'})` : m.name));
    const n = group.members.length;
    ctx.report({
      subject: { kind: 'host', name: host.name },
      at: group.at,
      message: `the docker group (gid ${group.gid}) has ${n} ${n === 1 ? 'member' : 'members'}, who can control Docker and so act as root on this host: ${names.join(', ')}`,
    });
  },
};
