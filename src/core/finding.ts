import type { Severity } from './severity.js';
import type { Rule } from './rule.js';
import type { Subject } from '../model/subject.js';
import type { Loc } from '../model/value.js';
import type { SourceIgnore } from '../model/container.js';

export interface FindingLocation {
  /** Logical path of the fact, e.g. HostConfig.Privileged. */
  readonly path: string;
  readonly loc?: Loc;
}

export interface Finding {
  readonly rule: Rule;
  readonly severity: Severity;
  readonly message: string;
  readonly subject: Subject;
  readonly location: FindingLocation;
  /** The one CIS item this finding is about, when the rule covers several (CIS-1.1.5 of 1.1.3–1.1.18). */
  readonly reference?: string;
  /** The fix for the kind of input the fact came from. */
  readonly remediation: string;
  /** Ignores the input wrote for the container this finding is about. */
  readonly sourceIgnores?: readonly SourceIgnore[];
}

/**
 * The CIS items a finding is about: its own when the rule covers several
 * (CIS-1.1.12 of docker-path-not-audited's 1.1.3–1.1.18), else the rule's.
 */
export function findingCisItems(f: Pick<Finding, 'rule' | 'reference'>): readonly string[] {
  return f.reference ? [f.reference] : f.rule.references;
}

/** A finding's references: its CIS items, then the peers' ids. */
export function findingReferences(f: Pick<Finding, 'rule' | 'reference'>): string[] {
  return [...findingCisItems(f), ...f.rule.aliases];
}
