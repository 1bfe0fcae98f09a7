import { MissingPart } from './proc-dir.js';

export const SECCOMP_MODES = ['disabled', 'strict', 'filter'] as const;
export type SeccompMode = (typeof SECCOMP_MODES)[number];

export const CAP_SETS = ['effective', 'permitted', 'inheritable', 'bounding', 'ambient'] as const;
export type CapSet = (typeof CAP_SETS)[number];
const CAP_FIELDS: Readonly<Record<CapSet, string>> = { effective: 'CapEff', permitted: 'CapPrm', inheritable: 'CapInh', bounding: 'CapBnd', ambient: 'CapAmb' };

/** What /proc/PID/status says about a process's privileges. */
export interface PrivilegeStatus {
  /** Each set's mask as the kernel writes it (16 hex digits). */
  readonly masks: Readonly<Record<CapSet, string>>;
  readonly noNewPrivs: boolean;
  readonly seccomp: SeccompMode;
}

/** Parses /proc/PID/status; a field missing (a kernel too old for CapAmb) is an error the caller notes. */
export function parseStatus(text: string, file: string): PrivilegeStatus {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) fields.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  const field = (name: string, pattern: RegExp): string => {
    const v = fields.get(name);
    if (v === undefined || !pattern.test(v)) throw new MissingPart(`${file}: no valid ${name} line`);
    return v;
  };
  const masks = Object.fromEntries(CAP_SETS.map((s) => [s, field(CAP_FIELDS[s], /^[0-9a-f]{16}$/)])) as Record<CapSet, string>;
  const seccomp = SECCOMP_MODES[Number(field('Seccomp', /^[012]$/))]!;
  return { masks, noNewPrivs: field('NoNewPrivs', /^[01]$/) === '1', seccomp };
}
