import type { Finding } from '../core/finding.js';

/**
 * The watch's state as Prometheus metrics, in the text exposition format
 * 0.0.4: `# HELP` and `# TYPE` once per family, before its samples.
 */
export class WatchMetrics {
  /** Current findings per container: container id → (label set → count). Replaced by each audit, dropped on destroy. */
  private readonly findings = new Map<string, Map<string, { severity: string; rule: string; container: string; count: number }>>();
  private audits = 0;
  private engineUp = 0;

  setFindings(containerId: string, containerName: string, findings: readonly Finding[]): void {
    const series = new Map<string, { severity: string; rule: string; container: string; count: number }>();
    for (const f of findings) {
      const key = `${f.severity}\0${f.rule.name}`;
      const s = series.get(key);
      if (s) s.count++;
      else series.set(key, { severity: f.severity, rule: f.rule.name, container: containerName, count: 1 });
    }
    this.findings.set(containerId, series);
  }

  forget(containerId: string): void {
    this.findings.delete(containerId);
  }

  auditDone(): void {
    this.audits++;
  }

  setEngineUp(up: boolean): void {
    this.engineUp = up ? 1 : 0;
  }

  render(): string {
    const lines = [
      '# HELP bulkhead_findings Findings of the last audit of each container, by severity and rule (after ignores and --severity).',
      '# TYPE bulkhead_findings gauge',
    ];
    for (const series of this.findings.values()) {
      for (const s of series.values()) lines.push(`bulkhead_findings{severity="${escapeLabel(s.severity)}",rule="${escapeLabel(s.rule)}",container="${escapeLabel(s.container)}"} ${s.count}`);
    }
    lines.push(
      '# HELP bulkhead_audits_total Container audits done since the watch started.',
      '# TYPE bulkhead_audits_total counter',
      `bulkhead_audits_total ${this.audits}`,
      '# HELP bulkhead_engine_up Whether the watch is connected to the engine (1) or retrying (0).',
      '# TYPE bulkhead_engine_up gauge',
      `bulkhead_engine_up ${this.engineUp}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

/** A label value in the exposition format: backslash, double quote and line feed escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
