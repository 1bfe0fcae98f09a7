export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

export function rank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, gate: Severity): boolean {
  return rank(s) >= rank(gate);
}

/** SARIF `security-severity` score, as GitHub buckets it (>=9 critical, 7-8.9 high, 4-6.9 medium, <4 low). */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.1',
};
