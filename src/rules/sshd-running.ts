import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { child } from '../model/path.js';

/** The program name of a process: the basename of its first word, without the ':' of OpenSSH's `sshd: user@pts/0` titles. */
function programOf(command: string): string {
  const first = command.trim().split(/\s+/)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1).replace(/:$/, '');
}

export const sshdRunning: Rule = {
  id: 'BH014',
  name: 'sshd-running',
  severity: 'medium',
  category: 'isolation',
  references: ['CIS-5.7'],
  aliases: [],
  docs: {
    summary: 'An SSH daemon runs inside the container.',
    rationale:
      'sshd in a container is one more network service, with its own keys, users and patch level, that bypasses the engine\'s access control and audit trail. `docker exec` already gives administrators a shell.',
    remediation: {
      docker: 'remove sshd from the image and its command; use `docker exec` for access',
      compose: 'remove sshd from the service\'s command/entrypoint and image',
      kubernetes: 'remove sshd from the container; use `kubectl exec`',
      ecs: 'remove sshd from the container; use ECS Exec',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      // Processes are known only for running containers an audit could look into.
      if (c.processes.origin === 'absent') return;
      const sshd = c.processes.value.flatMap((p, i) => (programOf(p.command) === 'sshd' ? [{ p, i }] : []));
      const first = sshd[0];
      if (!first) return;
      // One finding per container: OpenSSH forks a process per connection.
      const more = sshd.length > 1 ? ` and ${sshd.length - 1} more sshd process${sshd.length > 2 ? 'es' : ''}` : '';
      report({ path: child(c.processes.path, first.i) }, `runs sshd (pid ${first.p.pid}: ${first.p.command})${more}`);
    });
  },
};
