import type { Finding } from '../core/finding.js';
import type { AuditReport } from '../core/report.js';
import { SEVERITIES, atLeast, type Severity } from '../core/severity.js';
import type { Subject } from '../model/subject.js';
import type { Config } from '../config/config.js';
import { applyPolicy } from '../core/policy.js';
import type { Directive } from '../inputs/directives.js';
import { renderJson } from '../reporters/json.js';
import { renderText } from '../reporters/text.js';
import type { Logger } from './log.js';
import { pairFormats, useColor, writeAtomically, writeStdout, type ColorMode } from './output.js';
import { VERSION } from './version.js';
import type { Format } from './report-options.js';
import { parseBaseline, type Baseline } from '../core/baseline.js';
import { fingerprintOf } from '../core/fingerprint.js';
import { partition, withoutOwnContainer } from '../core/suppression.js';
import { readTextFile } from '../inputs/read-input.js';

/** The flags every reporting command shares. */
export interface ReportFlags {
  format?: Format[];
  output?: string[];
  severity?: Severity[];
  /** undefined: the config's fail-on, else low. */
  failOn?: Severity | 'none';
  color: ColorMode;
  config?: string;
  showSuppressed: boolean;
  /** Report only findings not in this baseline file. */
  baseline?: string;
}

/** The --baseline file, read before any work so a wrong one is a usage error up front. */
export function loadBaseline(flags: ReportFlags): Baseline | undefined {
  return flags.baseline === undefined ? undefined : parseBaseline(readTextFile(flags.baseline), flags.baseline);
}

/** What else decides which findings a report shows. */
export interface ReportContext {
  /** Inline ignores of the scanned files, by file. */
  readonly directives?: ReadonlyMap<string, readonly Directive[]>;
  readonly baseline?: Baseline;
  /** The id of the container bulkhead runs in: findings about it are its own (see withoutOwnContainer). */
  readonly ownContainer?: string;
}

/**
 * Sets bulkhead's own container aside, applies the policy (severity
 * overrides, ignores) and the baseline, then --severity (what is shown) and
 * --fail-on (what fails, counting every finding not suppressed).
 */
export function makeReport(
  raw: readonly Finding[],
  subjects: readonly Subject[],
  target: string,
  notes: readonly string[],
  flags: ReportFlags,
  config: Config,
  context: ReportContext = {},
): AuditReport {
  const own = withoutOwnContainer(raw, context.ownContainer);
  const policy = applyPolicy(own.reported, config, context.directives ?? new Map());
  const known = context.baseline && notInBaseline(policy.reported, context.baseline);
  return {
    tool: { name: 'bulkhead', version: VERSION },
    target,
    subjects,
    ...gated(known?.reported ?? policy.reported, flags.severity, flags.failOn ?? config.failOn ?? 'low'),
    notes: [...notes, ...policy.notes, ...(known?.notes ?? [])],
    suppressed: [...policy.suppressed, ...(known?.suppressed ?? []), ...own.suppressed],
    showSuppressed: flags.showSuppressed,
  };
}

/** The findings --severity shows, and the gate: counts and --fail-on over all of them, shown or not. */
export function gated(all: readonly Finding[], severity: readonly Severity[] | undefined, gate: Severity | 'none'): Pick<AuditReport, 'findings' | 'counts' | 'gate' | 'failed'> {
  return {
    findings: severity ? all.filter((f) => severity.includes(f.severity)) : all,
    counts: countsOf(all),
    gate,
    failed: gate !== 'none' && all.some((f) => atLeast(f.severity, gate)),
  };
}

/** How many findings of each severity (one pass: a report can hold 90,000). */
function countsOf(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** Findings the baseline already holds are suppressed (kind baseline). */
function notInBaseline(findings: readonly Finding[], baseline: Baseline) {
  const unmatched = new Set(baseline.entries.map((e) => e.fingerprint));
  const known = new Set(unmatched);
  const split = partition(findings, (f) => {
    const fp = fingerprintOf({ ruleId: f.rule.id, subject: f.subject, path: f.location.path });
    if (!known.has(fp)) return undefined;
    unmatched.delete(fp);
    return { kind: 'baseline', reason: 'in the baseline', where: baseline.file };
  });
  const stale = unmatched.size;
  const notes = [
    ...(split.suppressed.length ? [`${split.suppressed.length} ${split.suppressed.length === 1 ? 'finding is' : 'findings are'} in the baseline ${baseline.file}: only new ones are reported`] : []),
    ...(stale ? [`${stale} ${stale === 1 ? 'entry' : 'entries'} of the baseline ${baseline.file} matched nothing (fixed, or audited elsewhere): bulkhead baseline create makes a new one`] : []),
  ];
  return { ...split, notes };
}

/** Writes each --format to its --output (whole or not at all) or to stdout. */
export async function publish(report: AuditReport, flags: ReportFlags, logger: Logger): Promise<void> {
  for (const { format, file } of pairFormats(flags.format ?? ['text'], flags.output ?? [])) {
    const pieces =
      format === 'json'
        ? renderJson(report)
        : format === 'sarif'
          ? (await import('../reporters/sarif.js')).renderSarif(report)
          : format === 'docker-bench'
            ? (await import('../reporters/docker-bench.js')).renderDockerBench(report)
            : format === 'junit'
              ? (await import('../reporters/junit.js')).renderJunit(report)
              : format === 'html'
                ? (await import('../reporters/html.js')).renderHtml(report)
                : [renderText(report, useColor(flags.color, file !== undefined))];
    if (file) {
      await writeAtomically(file, pieces);
      logger.info(`wrote ${format} report to ${file}`);
    } else await writeStdout(pieces);
  }
}
