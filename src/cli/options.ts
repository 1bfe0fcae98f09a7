import { InvalidArgumentError } from 'commander';
import { isSeverity, SEVERITIES, type Severity } from '../core/severity.js';

/** commander parsers: each turns a flag's text into a checked value or a usage error (exit 2). */

export function severityList(value: string): Severity[] {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => !isSeverity(s));
  if (bad.length || list.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${SEVERITIES.join(', ')}`);
  return list as Severity[];
}

export function gate(value: string): Severity | 'none' {
  const v = value.trim().toLowerCase();
  if (v === 'none' || isSeverity(v)) return v;
  throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}, none`);
}

export function oneOf<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
  };
}

export function collect<T>(parse: (v: string) => T) {
  return (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), parse(value)];
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** A comma-separated list of the given choices, in the order given, without repeats. */
export function listOf<T extends string>(choices: readonly T[]) {
  return (value: string): T[] => {
    const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    const bad = list.filter((s) => !(choices as readonly string[]).includes(s));
    if (bad.length || list.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${choices.join(', ')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`);
    return [...new Set(list)] as T[];
  };
}
