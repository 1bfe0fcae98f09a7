import type { Finding } from './finding.js';
import type { Rule } from './rule.js';

/** Why a finding is not reported: where the ignore was written and what it said. */
export interface Suppression {
  readonly kind: 'inline' | 'config' | 'annotation' | 'baseline' | 'self';
  readonly reason: string;
  /** Where the ignore itself is written, e.g. `.bulkhead.yaml:4:5` or `Dockerfile:12`. */
  readonly where: string;
  readonly expires?: string;
}

export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: Suppression;
}

/**
 * An id in an ignore list names a rule by its id (BH018), its name
 * (no-memory-limit) or a peer's id for the same concept (DL3002, KSV-0017),
 * so users keep the ignore lists they bring from hadolint, trivy or checkov.
 */
export function ruleMatches(rule: Rule, id: string): boolean {
  const wanted = id.trim().toLowerCase();
  if (wanted === '') return false;
  return rule.id.toLowerCase() === wanted || rule.name === wanted || rule.aliases.some((a) => a.toLowerCase() === wanted);
}

/** Splits findings by a predicate that says why one is suppressed (undefined: reported). */
export function partition(
  findings: readonly Finding[],
  why: (f: Finding) => Suppression | undefined,
): { reported: Finding[]; suppressed: SuppressedFinding[] } {
  // Built only from the first suppressed finding on: most reports suppress nothing, and then one copy of the
  // list is made whole, not 90,000 findings pushed one by one onto a growing array.
  let reported: Finding[] | undefined;
  const suppressed: SuppressedFinding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    const suppression = why(finding);
    if (suppression) {
      reported ??= findings.slice(0, i);
      suppressed.push({ finding, suppression });
    } else reported?.push(finding);
  }
  return { reported: reported ?? findings.slice(), suppressed };
}

/**
 * Findings about the container bulkhead runs in (see linux/own-container.ts):
 * its host PID, read-only host root and Docker socket are what the audit
 * needs (deploy/ gives the reasons), and every node's report would otherwise
 * lead with them.
 */
export function withoutOwnContainer(findings: readonly Finding[], ownId: string | undefined): { reported: Finding[]; suppressed: SuppressedFinding[] } {
  if (ownId === undefined) return { reported: [...findings], suppressed: [] };
  return partition(findings, (f) =>
    f.subject.kind === 'container' && f.subject.id === ownId
      ? { kind: 'self', reason: 'bulkhead runs in this container: its access is the audit\'s own (see deploy/ for why each is needed)', where: `container ${ownId.slice(0, 12)}` }
      : undefined,
  );
}
