/**
 * A capability suggestion written the way the target's own input says it:
 * `docker run` flags, a compose service's keys, a Kubernetes container's
 * securityContext, an ECS container definition's linuxParameters.
 */
import type { SourceKind } from '../model/container.js';
import { quoted } from '../reporters/sanitize.js';
import type { CapSuggestion } from './capabilities.js';

/** `name` is the compose service's key (the Kubernetes and ECS snippets name no container: they go inside it). */
export function capSyntax(kind: SourceKind, name: string, s: CapSuggestion): string {
  const caps = s.add.map((c) => c.name);
  switch (kind) {
    case 'compose':
      return [
        'services:',
        `  ${yamlKey(name)}:`,
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

/** YAML's 1.1 booleans and nulls, which a YAML 1.1 reader (and compose's own, for some) takes for something other than the name. */
const NOT_A_STRING = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

/**
 * A service name as a YAML mapping key that means exactly that string: plain
 * when it is a usual name (a letter, then letters, digits, `.`, `_`, `-`),
 * otherwise double-quoted by `quoted`: a JSON string is a YAML double-quoted
 * scalar, and it writes DEL, the C1 controls and U+2028/2029 (which YAML
 * does not allow raw, or reads as a line break) as \u escapes.
 */
export function yamlKey(name: string): string {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(name) && !NOT_A_STRING.test(name) ? name : quoted(name);
}
