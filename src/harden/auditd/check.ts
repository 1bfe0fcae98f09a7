import { inForce, parseAuditctlList, type InForce } from '../../inputs/host/audit-rules.js';
import { loadedAuditRules } from '../../inputs/host/auditctl.js';
import { summarise } from '../../inputs/host/lines.js';
import { configuredAuditRules } from '../../inputs/host/system.js';
import { watchedPath } from '../../inputs/host/watched-path.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import { isAtOrBelow } from '../../rules/support/host-paths.js';
import { wantedWatches, type SkippedPath, type WantedWatch } from './wanted.js';

/**
 * How one set of rules covers a wanted path, judged as BH049 judges it: the
 * watches on the path or recursive ones above it, their letters together
 * holding both `w` (content changes) and `a` (owner, mode).
 */
export type Coverage =
  | { readonly state: 'yes' | 'partial'; readonly permissions: string }
  | { readonly state: 'no'; readonly why?: string }
  /** The rules could not be read; `why` says so. */
  | { readonly state: 'unknown'; readonly why: string };

export interface CheckRow extends WantedWatch {
  /** In the kernel now (`auditctl -l`). */
  readonly loaded: Coverage;
  /** In /etc/audit/rules.d/*.rules or /etc/audit/audit.rules: what the next boot loads. */
  readonly configured: Coverage;
}

export interface CheckResult {
  readonly rows: CheckRow[];
  readonly skipped: SkippedPath[];
  /** Why the kernel's rules could not be read with root /, when they could not: the check is incomplete. */
  readonly unreadable?: string;
}

/** A set of rules as the check sees it: watches where the kernel places them, and where auditing is turned off. */
type RuleSet = { readonly ok: true; readonly watches: { realPath: string; recursive: boolean; permissions: string }[]; readonly disabledBy?: string } | { readonly ok: false; readonly why: string };

function ruleSet(root: HostRoot, sets: readonly InForce[]): RuleSet {
  const watches = sets.flatMap((s) => s.watches).map((w) => ({ realPath: watchedPath(root, w.path), recursive: w.recursive, permissions: w.permissions }));
  const off = sets.find((s) => s.disabledBy)?.disabledBy;
  const where = off?.loc ? `${off.loc.file}:${off.loc.line}` : 'auditctl -l';
  return off ? { ok: true, watches, disabledBy: where } : { ok: true, watches };
}

function coverage(set: RuleSet, path: string): Coverage {
  if (!set.ok) return { state: 'unknown', why: set.why };
  if (set.disabledBy) return { state: 'no', why: `-a never,task (${set.disabledBy}) turns off auditing of every process` };
  const covering = set.watches.filter((w) => w.realPath === path || (w.recursive && isAtOrBelow(path, w.realPath)));
  if (covering.length === 0) return { state: 'no' };
  const letters = new Set(covering.flatMap((w) => [...w.permissions]));
  const permissions = ['r', 'w', 'x', 'a'].filter((l) => letters.has(l)).join('');
  return { state: letters.has('w') && letters.has('a') ? 'yes' : 'partial', permissions };
}

/**
 * Wanted against loaded against configured. The kernel's rules are read
 * only with root /: under --root the folder may be another machine's disk.
 */
export async function checkWatches(root: HostRoot, dockerRoot: string, note: (message: string) => void): Promise<CheckResult> {
  const { wanted, skipped } = wantedWatches(root, dockerRoot, note);
  let configured: RuleSet;
  try {
    configured = ruleSet(root, configuredAuditRules(root, note));
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    configured = { ok: false, why: `could not read ${e.message}` };
  }
  let loaded: RuleSet;
  let unreadable: string | undefined;
  if (root.root !== '/') loaded = { ok: false, why: 'not read with --root: this kernel is not that host\'s' };
  else {
    const answer = await loadedAuditRules();
    if (answer.ok) {
      const { items, problems } = parseAuditctlList(answer.text);
      const problem = summarise(problems);
      if (problem) note(problem);
      loaded = ruleSet(root, [inForce(items, false)]);
    } else {
      unreadable = answer.why;
      loaded = { ok: false, why: answer.why };
    }
  }
  const rows = wanted.map((w) => ({ ...w, loaded: coverage(loaded, w.path), configured: coverage(configured, w.path) }));
  return unreadable === undefined ? { rows, skipped } : { rows, skipped, unreadable };
}
