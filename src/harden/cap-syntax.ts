/**
 * A capability suggestion written the way the target's own input says it:
 * `docker run` flags, a compose service's keys, a Kubernetes container's
 * securityContext, an ECS container definition's linuxParameters.
 */
import type { SourceKind } from '../model/container.js';
import type { CapSuggestion } from './capabilities.js';

export function capSyntax(kind: SourceKind, name: string, s: CapSuggestion): string {
  const caps = s.add.map((c) => c.name);
  switch (kind) {
    case 'compose':
      return [
        'services:',
        `  ${name}:`,
        '    cap_drop: [ALL]',
        ...(caps.length ? ['    cap_add:', ...s.add.map((c) => `      - ${c.name}`)] : []),
      ].join('\n');
    case 'kubernetes':
      return [
        'securityContext:',
        '  capabilities:',
        '    drop: [ALL]',
        ...(caps.length ? [`    add: [${caps.join(', ')}]`] : []),
      ].join('\n');
    case 'ecs':
      return JSON.stringify({ linuxParameters: { capabilities: { drop: ['ALL'], ...(caps.length ? { add: caps } : {}) } } }, null, 2);
    default:
      // A live container, an inspect document, an image: capabilities are set when a container is created.
      return ['docker run --cap-drop ALL', ...caps.map((c) => `--cap-add ${c}`)].join(' ') + ' …';
  }
}
