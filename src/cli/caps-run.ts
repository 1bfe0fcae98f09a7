import { InputError } from '../core/errors.js';
import { own } from '../core/own.js';
import type { Rule } from '../core/rule.js';
import {
  CAPABILITIES, CAP_DESCRIPTIONS, CAP_RISK_NOTES, DANGEROUS_CAPS, DOCKER_DEFAULT_CAPS,
  capCisItems, capMaskOf, capNames, capPeerIds, capabilityNamed, formatCapMask, parseCapMask,
  type CapName, type CapReference,
} from '../linux/capabilities.js';
import { RULES } from '../rules/index.js';
import { jsonText } from '../reporters/sanitize.js';
import type { CapsFormat } from './caps.js';

const json = (value: unknown) => jsonText(value, 2) + '\n';
const isDefault = (name: string) => DOCKER_DEFAULT_CAPS.has(name.toUpperCase());
const danger = (name: string) => own(DANGEROUS_CAPS, name.toUpperCase());

/** `bulkhead caps decode MASK`: names lowercase without cap_, as inspect reports them; unknown bits by number. */
export function decode(text: string, format: CapsFormat): string {
  const mask = parseCapMask(text);
  if (mask === undefined) throw new InputError(`not a capability mask: "${text}" (expected up to 16 hex digits, 0x optional, as CapEff in /proc/PID/status)`);
  const names = capNames(mask);
  // Numbers (bits this table does not know) are beyond Docker's default set too.
  const beyond = names.filter((n) => !isDefault(n));
  if (format === 'json') return json({ mask: formatCapMask(mask), names, beyondDockerDefault: beyond });
  const lines = [`${formatCapMask(mask)}: ${names.length} capabilit${names.length === 1 ? 'y' : 'ies'}`];
  for (const name of names) lines.push(row(name));
  if (names.length) lines.push(beyond.length ? `beyond Docker's default set: ${beyond.join(', ')}` : 'all within Docker\'s default set');
  return lines.join('\n') + '\n';
}

/** One line of decode and list: number, name, default mark, danger or description. */
function row(name: string): string {
  const bit = CAPABILITIES.indexOf(name.toUpperCase() as CapName);
  const known = bit >= 0;
  const number = known ? bit : Number(name);
  const why = danger(name);
  const what = !known ? 'unknown to bulkhead (a newer kernel?)' : why ? `DANGEROUS: ${why}` : CAP_DESCRIPTIONS[name.toUpperCase() as CapName];
  return `${String(number).padStart(4)}  ${name.padEnd(20)}  ${isDefault(name) ? 'default' : '       '}  ${what}`;
}

interface Explanation {
  readonly name: string;
  readonly constant: string;
  readonly number: number;
  readonly allows: string;
  readonly risk: string;
  readonly dangerous: boolean;
  readonly dockerDefault: boolean;
  readonly cis: CapReference[];
  readonly peers: CapReference[];
  readonly rules: { id: string; name: string; why: string }[];
}

/** `bulkhead caps explain NAME`. */
export function explain(text: string, format: CapsFormat): string {
  const cap = capabilityNamed(text);
  if (!cap) throw new InputError(`unknown capability "${text}" (run \`bulkhead caps list\` for all of them)`);
  const e = explanation(cap);
  if (format === 'json') return json(e);
  const refs = (list: readonly CapReference[]) => list.map((r) => `  ${r.id}: ${r.why}`);
  return [
    `${e.name} (${e.constant}, bit ${e.number})`,
    `allows: ${e.allows}`,
    `risk: ${e.dangerous ? 'DANGEROUS: ' : ''}${e.risk}`,
    `docker default: ${e.dockerDefault ? `yes (drop it with --cap-drop ${cap})` : `no (granted with --cap-add ${cap} or --privileged)`}`,
    'CIS Docker Benchmark:', ...refs(e.cis),
    'peer checks:', ...refs(e.peers),
    'bulkhead rules:', ...(e.rules.length ? e.rules.map((r) => `  ${r.id} ${r.name}: ${r.why}`) : ['  none']),
  ].join('\n') + '\n';
}

function explanation(cap: CapName): Explanation {
  const why = own(DANGEROUS_CAPS, cap);
  const dockerDefault = DOCKER_DEFAULT_CAPS.has(cap);
  return {
    name: cap.toLowerCase(),
    constant: `CAP_${cap}`,
    number: CAPABILITIES.indexOf(cap),
    allows: CAP_DESCRIPTIONS[cap],
    risk: why ?? CAP_RISK_NOTES[cap] ?? (dockerDefault ? 'limited inside a container; still, drop it when the process does not need it' : 'kernel privilege beyond Docker\'s default set that most containers do not need'),
    dangerous: why !== undefined,
    dockerDefault,
    cis: capCisItems(cap),
    peers: capPeerIds(cap),
    rules: rulesAbout(cap, RULES),
  };
}

/** The bulkhead rules that flag the capability, or whose documentation names it. */
export function rulesAbout(cap: CapName, rules: readonly Rule[]): { id: string; name: string; why: string }[] {
  const word = new RegExp(`\\b(?:CAP_)?${cap}\\b`);
  const out: { id: string; name: string; why: string }[] = [];
  for (const r of rules) {
    let why: string | undefined;
    if (r.name === 'capabilities-added' && !DOCKER_DEFAULT_CAPS.has(cap)) why = 'flags a container that adds it';
    else if (r.name === 'privileged-container') why = 'a privileged container holds it, with every other capability';
    else if (word.test([r.docs.summary, r.docs.rationale, ...Object.values(r.docs.remediation)].join('\n'))) why = 'names it in its rationale';
    if (why) out.push({ id: r.id, name: r.name, why });
  }
  return out;
}

/** `bulkhead caps list`. */
export function list(format: CapsFormat): string {
  if (format === 'json') {
    return json(
      CAPABILITIES.map((cap, number) => ({ number, name: cap.toLowerCase(), dockerDefault: DOCKER_DEFAULT_CAPS.has(cap), dangerous: own(DANGEROUS_CAPS, cap) !== undefined, allows: CAP_DESCRIPTIONS[cap] })),
    );
  }
  const header = `${'bit'.padStart(4)}  ${'capability'.padEnd(20)}  docker   what it allows (DANGEROUS: why)`;
  const footer = `${CAPABILITIES.length} capabilities; Docker's default set: ${DOCKER_DEFAULT_CAPS.size} (mask ${formatCapMask(capMaskOf(DOCKER_DEFAULT_CAPS as ReadonlySet<CapName>))})`;
  return [header, ...CAPABILITIES.map((c) => row(c.toLowerCase())), footer].join('\n') + '\n';
}
