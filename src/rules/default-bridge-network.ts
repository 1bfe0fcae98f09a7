import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';
import { child } from '../model/path.js';

export const defaultBridgeNetwork: Rule = {
  id: 'BH029',
  name: 'default-bridge-network',
  severity: 'low',
  category: 'network',
  references: ['CIS-5.30'],
  aliases: [],
  docs: {
    summary: 'The container is on Docker\'s default bridge network (docker0).',
    rationale:
      'Every container on the default bridge can reach every other one on any port (inter-container communication is on by default there), and they share one flat network with no name resolution or isolation between applications. User-defined networks separate applications and can be internal.',
    remediation: {
      docker: '--network <a user-defined network> (docker network create app-net)',
      compose: 'compose already uses a per-project network; remove `network_mode: bridge`',
      ecs: 'set the task\'s "networkMode": "awsvpc" (each task gets its own network interface)',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      // The engine reserves the name `bridge` for its default network: no user network can have it.
      if (c.networks.origin !== 'absent') {
        if (c.networks.value.includes('bridge')) report({ path: child(c.networks.path, 'bridge') }, 'is attached to the default bridge network');
        return;
      }
      if (c.networkMode.origin === 'explicit' && c.networkMode.value === 'bridge') {
        report(c.networkMode, 'uses network mode bridge: the default bridge network');
      }
    });
  },
};
