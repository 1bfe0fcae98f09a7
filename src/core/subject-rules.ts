/**
 * Which rules judge which subjects: a rule about containers judges every
 * container audited, whether it found something or not. A report that lists
 * what passed (JUnit's test cases) needs this; the rules themselves only say
 * what they found.
 */
import type { Need, Rule } from './rule.js';
import type { SubjectKind } from '../model/subject.js';

const KINDS_OF: Readonly<Record<Need, readonly SubjectKind[]>> = {
  // An image's configuration and a Dockerfile's container are judged by the runtime rules too.
  runtime: ['container', 'image'],
  build: ['image'],
  daemon: ['daemon'],
  'daemon-config': ['daemon'],
  'host-files': ['file'],
  'host-system': ['host'],
  images: ['image', 'host'],
  inventory: ['daemon'],
};

/** True when `rule` judges subjects of this kind. A runtime or build rule that also reads the daemon's answer judges containers, not the daemon. */
export function judges(rule: Rule, kind: SubjectKind): boolean {
  const primary = rule.needs.filter((n) => n === 'runtime' || n === 'build');
  return (primary.length ? primary : rule.needs).some((n) => KINDS_OF[n].includes(kind));
}
