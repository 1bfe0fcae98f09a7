import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

/** Addresses that mean every interface of the host. */
const ALL_INTERFACES = new Set(['', '0.0.0.0', '::']);

export const portBoundAllInterfaces: Rule = {
  id: 'BH017',
  name: 'port-bound-all-interfaces',
  severity: 'low',
  category: 'network',
  references: ['CIS-5.14'],
  aliases: ['kics: Traffic Not Bound To Host Interface'],
  docs: {
    summary: 'A published port listens on every interface of the host.',
    rationale:
      'Without a host address, -p 8080:80 accepts connections on every interface, public ones included, and Docker\'s own firewall rules let them past a host firewall such as ufw. Binding to the one interface that should serve the port (often 127.0.0.1 behind a proxy) keeps it off the others.',
    remediation: {
      docker: 'give the host address: -p 127.0.0.1:8080:80 (or the address of the serving interface)',
      compose: 'prefix the host address in ports: ("127.0.0.1:8080:80")',
      kubernetes: 'set ports[].hostIP, or drop hostPort and use a Service',
      ecs: 'ECS binds host ports on every interface: use "networkMode": "awsvpc" and restrict access with the security group',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.ports.origin === 'absent') return;
      for (const b of c.ports.value) {
        if (!ALL_INTERFACES.has(b.hostIp)) continue;
        const on = b.hostIp === '' ? 'every interface (no host address)' : `every interface (${b.hostIp})`;
        report(b, `publishes container port ${b.containerPort}/${b.protocol} on ${on}`);
      }
    });
  },
};
