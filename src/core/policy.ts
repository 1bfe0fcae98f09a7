import { createRequire } from 'node:module';
import type { Config } from '../config/config.js';
import { directivesFor, type Directive } from '../inputs/directives.js';
import type { Finding } from './finding.js';
import { partition, ruleMatches, type SuppressedFinding, type Suppression } from './suppression.js';

export interface PolicyResult {
  readonly reported: Finding[];
  readonly suppressed: SuppressedFinding[];
  /** Ignores that were not applied, and why (expired, no reason). */
  readonly notes: string[];
}

/**
 * The user's policy over the raw findings: severity overrides first, then
 * ignores, in the order a reader looks for them: inline comments in the file,
 * the input's own annotation, then the config files.
 */
export function applyPolicy(
  findings: readonly Finding[],
  config: Config,
  directives: ReadonlyMap<string, readonly Directive[]>,
  today: string = new Date().toISOString().slice(0, 10),
): PolicyResult {
  const notes: string[] = [];
  const overrides = [...config.severity];
  const overridden = overrides.length === 0 ? findings : findings.map((f) => {
    for (const [id, severity] of overrides) if (ruleMatches(f.rule, id)) return { ...f, severity };
    return f;
  });

  const live = config.ignores.filter((ig) => {
    if (ig.expires !== undefined && ig.expires < today) {
      notes.push(`${ig.where}: the ignore of ${ig.id} expired on ${ig.expires}; its findings are reported again`);
      return false;
    }
    return true;
  });
  // picomatch is loaded only when some ignore has globs.
  const glob = (patterns: readonly string[]) => (createRequire(import.meta.url)('picomatch') as typeof import('picomatch'))([...patterns], { dot: true });
  const matchers = live.map((ig) => ({
    ig,
    path: ig.paths.length ? glob(ig.paths) : undefined,
    subject: ig.subjects.length ? glob(ig.subjects) : undefined,
  }));
  for (const [file, list] of directives) {
    for (const d of list) if (d.reason === '') notes.push(`${file}:${d.line}: an ignore needs a reason after the ids; not applied`);
  }

  const why = (f: Finding): Suppression | undefined => {
    const loc = f.location.loc;
    // Most files have no ignore comments: a report of 10,000 containers asks 90,000 times.
    const written = loc && directives.get(loc.file);
    if (loc && written) {
      const inline = directivesFor(written, loc.line).find((d) => d.reason !== '' && d.ids.some((id) => ruleMatches(f.rule, id)));
      if (inline) return { kind: 'inline', reason: inline.reason, where: `${loc.file}:${inline.line}` };
    }
    const annotation = f.sourceIgnores?.find((ig) => ig.ids.some((id) => ruleMatches(f.rule, id)));
    if (annotation) return { kind: 'annotation', reason: annotation.reason, where: annotation.where };
    const configured = matchers.find(
      (m) =>
        ruleMatches(f.rule, m.ig.id) &&
        (!m.path || (loc !== undefined && m.path(loc.file))) &&
        (!m.subject || m.subject(f.subject.name)),
    );
    if (configured) return { kind: 'config', reason: configured.ig.reason, where: configured.ig.where, ...(configured.ig.expires ? { expires: configured.ig.expires } : {}) };
    return undefined;
  };
  return { ...partition(overridden, why), notes };
}
