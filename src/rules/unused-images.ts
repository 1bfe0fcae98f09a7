import type { Rule } from '../core/rule.js';

const LISTED = 10;

export const unusedImages: Rule = {
  id: 'BH077',
  name: 'unused-images',
  severity: 'info',
  category: 'daemon',
  references: ['CIS-6.1'],
  aliases: [],
  docs: {
    summary: 'The engine keeps images that no container, running or stopped, uses (image sprawl).',
    rationale:
      'Every image kept is one more that can be started by mistake or by an attacker with access to the engine, usually an old one with old vulnerabilities, and it fills the disk under /var/lib/docker. Images nobody uses should be removed, and kept ones rebuilt often. The finding counts the engine\'s images (those `docker images` lists) and those no container uses, with the space they take.',
    remediation: {
      docker: 'docker image prune -a (removes every image no container uses; check that none is needed first), or docker rmi IMAGE for each',
    },
  },
  needs: ['inventory'],
  check(ctx) {
    const inventory = ctx.workload.inventory;
    if (!inventory) return;
    const unused = inventory.images.filter((i) => i.containers === 0);
    if (unused.length === 0) return;
    const bytes = unused.reduce((sum, i) => sum + i.size, 0);
    const named = unused.slice(0, LISTED).map((i) => i.name);
    const more = unused.length > LISTED ? `, and ${unused.length - LISTED} more` : '';
    ctx.report({
      subject: { kind: 'daemon', name: ctx.workload.daemon?.name || 'docker' },
      at: { path: 'Images' },
      message: `${unused.length} of ${inventory.images.length} ${inventory.images.length === 1 ? 'image is' : 'images are'} not used by any container (${megabytes(bytes)}): ${named.join(', ')}${more}`,
    });
  },
};

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
