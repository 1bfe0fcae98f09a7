import { runRules } from '../../core/engine.js';
import type { Finding } from '../../core/finding.js';
import { sectionsOf } from '../../core/sections.js';
import type { Container } from '../../model/container.js';
import type { Daemon } from '../../model/workload.js';
import { RULES } from '../index.js';

/** The rules of `audit --sections containers`. */
const CONTAINER_RULES = RULES.filter((r) => sectionsOf(r).includes('containers'));

/** One container's findings, as `audit --sections containers` makes them for every container (for `inspect` and `watch`). */
export function containerFindings(container: Container, daemon: Daemon | undefined): Finding[] {
  return runRules({ containers: [container], ...(daemon ? { daemon } : {}) }, CONTAINER_RULES).filter((f) => f.subject.kind === 'container');
}
