import type { Severity } from './severity.js';
import type { Container } from '../model/container.js';
import type { Workload } from '../model/workload.js';
import type { At } from '../model/value.js';
import type { Subject } from '../model/subject.js';

export type Category =
  | 'privileges'
  | 'isolation'
  | 'mac'
  | 'filesystem'
  | 'network'
  | 'resources'
  | 'availability'
  | 'supply-chain'
  | 'daemon'
  | 'build';

/**
 * Facts a rule reads. A rule runs on every input that provides them:
 * runtime (containers), daemon (`GET /info`), build (Dockerfiles), and the
 * host audit's host-system (mounts, groups, audit rules), daemon-config
 * (dockerd flags and daemon.json), host-files (owners and modes), images and
 * inventory (image and container counts).
 */
export type Need = 'runtime' | 'daemon' | 'build' | 'host-system' | 'daemon-config' | 'host-files' | 'images' | 'inventory';

/** How to fix, per kind of input. `docker` is the `docker run` flag, the fallback for the others. */
export interface Remediation {
  readonly docker: string;
  readonly compose?: string;
  readonly kubernetes?: string;
  readonly ecs?: string;
  readonly dockerfile?: string;
}

export interface RuleDocs {
  /** One sentence: what is wrong. */
  readonly summary: string;
  /** Why it matters. */
  readonly rationale: string;
  readonly remediation: Remediation;
}

export interface Report {
  readonly subject: Subject;
  /** The model node the finding is about; the engine turns it into a position. */
  readonly at: At;
  readonly message: string;
  /** The container the node belongs to, so the engine can place it in its file. */
  readonly container?: Container;
  /** The one CIS item this finding is about, when the rule's references list several (e.g. CIS-3.15 of a file-owner rule). */
  readonly reference?: string;
  /** Overrides the rule's severity for this finding (e.g. ALL capabilities is worse than NET_RAW). */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly workload: Workload;
  report(r: Report): void;
}

export interface Rule {
  /** Stable short code, never reused. */
  readonly id: string;
  /** Kebab-case, says what is wrong. */
  readonly name: string;
  readonly severity: Severity;
  readonly category: Category;
  /** CIS Docker Benchmark v1.6.0 items, e.g. CIS-5.5. */
  readonly references: readonly string[];
  /** The peers' ids for the same concept (hadolint, trivy, checkov, dockle, kics). */
  readonly aliases: readonly string[];
  readonly docs: RuleDocs;
  readonly needs: readonly Need[];
  check(ctx: RuleContext): void;
}

/**
 * Calls `fn` for each container of the workload, with a `report` about that
 * container, to call while `fn` runs for it. One `report` serves every
 * container: one made per container and rule was 730,000 closures for
 * 10,000 containers.
 */
export function eachContainer(
  ctx: RuleContext,
  fn: (c: Container, report: (at: At, message: string, severity?: Severity) => void) => void,
): void {
  let c: Container;
  const report = (at: At, message: string, severity?: Severity) =>
    ctx.report(severity ? { subject: c.subject, at, message, container: c, severity } : { subject: c.subject, at, message, container: c });
  for (c of ctx.workload.containers) fn(c, report);
}
