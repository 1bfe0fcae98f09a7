import type { Rule } from '../core/rule.js';

const LISTED = 10;
/** States in which a container's process is not running (paused and restarting ones are, as `docker ps` shows). */
const STOPPED = new Set(['created', 'exited', 'dead']);

export const stoppedContainers: Rule = {
  id: 'BH078',
  name: 'stopped-containers',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-6.2'],
  aliases: [],
  docs: {
    summary: 'The engine keeps containers that are not running (container sprawl).',
    rationale:
      'A stopped container keeps its writable layer (files, logs, secrets written at run time), its configuration and its image, and can be started again as it was, privileges and mounts included, by anyone with access to the engine. Containers that are not needed should be removed, or started with --rm. The finding counts the engine\'s containers and those created, exited or dead.',
    remediation: {
      docker: 'docker container prune (removes every stopped container), or docker rm CONTAINER for each; run short-lived containers with --rm',
    },
  },
  needs: ['inventory'],
  check(ctx) {
    const inventory = ctx.workload.inventory;
    if (!inventory) return;
    const stopped = inventory.containers.filter((c) => STOPPED.has(c.state));
    if (stopped.length === 0) return;
    const total = inventory.containers.length;
    const named = stopped.slice(0, LISTED).map((c) => `${c.name} (${c.state})`);
    const more = stopped.length > LISTED ? `, and ${stopped.length - LISTED} more` : '';
    ctx.report({
      subject: { kind: 'daemon', name: ctx.workload.daemon?.name || 'docker' },
      at: { path: 'Containers' },
      message: `${stopped.length} of ${total} ${total === 1 ? 'container is' : 'containers are'} not running: ${named.join(', ')}${more}`,
    });
  },
};
