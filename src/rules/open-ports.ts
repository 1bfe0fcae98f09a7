import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import type { PortBinding } from '../model/container.js';

/** `0.0.0.0:80 -> 80/tcp`; '' is every interface, and no host port means the engine picks one. */
function describe(b: PortBinding): string {
  const ip = b.hostIp === '' ? '0.0.0.0' : b.hostIp.includes(':') ? `[${b.hostIp}]` : b.hostIp;
  return `${ip}:${b.hostPort ?? '(any)'} -> ${b.containerPort}/${b.protocol}`;
}

export const openPorts: Rule = {
  id: 'BH016',
  name: 'open-ports',
  severity: 'info',
  category: 'network',
  references: ['CIS-5.9'],
  aliases: ['KSV-0024', 'CKV_K8S_26'],
  docs: {
    summary: 'The container publishes ports on the host; review that each one is needed.',
    rationale:
      'Every published port is a way into the container from the host\'s networks. Listing them per container makes a port that nobody needs, left over from debugging or a copied compose file, easy to spot.',
    remediation: {
      docker: 'remove the -p/--publish flags that are not needed',
      compose: 'remove unneeded entries from ports: (use expose: for ports only other services need)',
      kubernetes: 'remove unneeded ports[].hostPort',
      ecs: 'remove unneeded portMappings',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.ports.origin === 'absent' || c.ports.value.length === 0) return;
      report(c.ports, `publishes ${c.ports.value.map(describe).join(', ')}`);
    });
  },
};
