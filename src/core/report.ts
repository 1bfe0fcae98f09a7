import type { Finding } from './finding.js';
import type { Severity } from './severity.js';
import type { Subject, SubjectHost } from '../model/subject.js';
import type { SuppressedFinding } from './suppression.js';
import type { Rule } from './rule.js';
import type { FleetSummary } from './fleet.js';

/** Everything a reporter needs: what was audited, what was found, and how the gate came out. */
export interface AuditReport {
  readonly tool: { readonly name: 'bulkhead'; readonly version: string };
  /** What was audited, e.g. `engine unix:///var/run/docker.sock` or `inspect containers.json`. */
  readonly target: string;
  /**
   * The one host an audit of a single host looked at: its engine's /info Name
   * and ID, or without an engine the host's name. `merge` knows two runs on
   * one host by it (the target names counts that change between runs).
   */
  readonly host?: SubjectHost;
  /** Every subject audited, including those with no findings. */
  readonly subjects: readonly Subject[];
  /** The findings shown (after --severity). */
  readonly findings: readonly Finding[];
  /** Counts over all findings, shown or not: the gate reads these. */
  readonly counts: Readonly<Record<Severity, number>>;
  readonly gate: Severity | 'none';
  readonly failed: boolean;
  /** Things the user should know that are not findings. */
  readonly notes: readonly string[];
  /** Findings an ignore removed, with why. */
  readonly suppressed: readonly SuppressedFinding[];
  /** List them (--show-suppressed); otherwise only their number is shown. */
  readonly showSuppressed: boolean;
  /** The rules that ran, so a report can say what passed (docker-bench's PASS lines); set by the audit. */
  readonly checked?: readonly Rule[];
  /** When the audit started (epoch milliseconds); set by the audit. */
  readonly started?: number;
  /** Set by `bulkhead merge`: which rules fail on how many hosts, the worst hosts, what changed. */
  readonly fleet?: FleetSummary;
}
