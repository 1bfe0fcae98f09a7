/**
 * Inline ignores in files with `#` comments (Dockerfile, YAML):
 *
 *   # bulkhead ignore=BH018,DL3008 memory is limited by the platform
 *   # bulkhead global ignore=no-healthcheck probes are defined in the chart
 *
 * `ignore=` on a comment line of its own speaks of the next line that is
 * not a comment (as an end-of-line comment in YAML, of its own line);
 * `global ignore=` of the whole file. The words after
 * the ids are the reason, which is required.
 */
export interface Directive {
  readonly ids: readonly string[];
  readonly reason: string;
  /** 1-based line of the comment. */
  readonly line: number;
  /** The line it speaks of. */
  readonly target: number;
  readonly global: boolean;
}

const DIRECTIVE = /#\s*bulkhead\s+(global\s+)?ignore=([A-Za-z0-9_.,:-]+)(?:\s+(.*?))?\s*$/;

export function directivesOf(text: string): Directive[] {
  const out: Directive[] = [];
  // A quick look first: most files have none, and this runs on every file scanned.
  if (!text.includes('bulkhead')) return out;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    let target = i;
    if (/^\s*#/.test(line)) {
      target = i + 1;
      while (target < lines.length && /^\s*(#|$)/.test(lines[target]!)) target++;
    }
    out.push({ ids: m[2]!.split(',').filter(Boolean), reason: m[3] ?? '', line: i + 1, target: target + 1, global: Boolean(m[1]) });
  });
  return out;
}

/** The directives that cover a finding on `line`. */
export function directivesFor(directives: readonly Directive[], line: number): Directive[] {
  return directives.filter((d) => d.global || d.target === line);
}
