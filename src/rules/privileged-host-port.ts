import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

export const privilegedHostPort: Rule = {
  id: 'BH015',
  name: 'privileged-host-port',
  severity: 'medium',
  category: 'network',
  references: ['CIS-5.8'],
  aliases: ['KSV-0117', 'kics: Privileged Ports Mapped'],
  docs: {
    summary: 'The container publishes a port on a privileged host port (1024 or below).',
    rationale:
      'Host ports up to 1024 are where clients expect well-known system services (ssh, dns, http, smtp); only root may bind them. Mapping a container there lets it stand in for, or collide with, such a service, and is rarely needed when a load balancer or proxy can forward to a high port.',
    remediation: {
      docker: 'publish on a host port above 1024: -p 8080:80 instead of -p 80:80',
      compose: 'use a host port above 1024 in ports: ("8080:80")',
      kubernetes: 'remove ports[].hostPort, or set it above 1024',
      ecs: 'bridge mode: set portMappings[].hostPort above 1024 (or 0 for a dynamic port); host mode: listen on a container port above 1024, or use awsvpc',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.ports.origin === 'absent') return;
      for (const b of c.ports.value) {
        if (b.hostPort !== undefined && b.hostPort < 1025) {
          report(b, `publishes container port ${b.containerPort}/${b.protocol} on privileged host port ${b.hostPort}`);
        }
      }
    });
  },
};
