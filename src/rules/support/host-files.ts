/** Wording shared by the daemon-file rules (CIS 3.x). */
import type { HostFile } from '../../model/host.js';

/** How a finding names a file: what the benchmark calls it (unless its path says so already), its path, and what configured that path. */
export function describeFile(f: HostFile): string {
  const what = f.path === f.role || f.path.endsWith(`/${f.role}`) ? f.path : `${f.role} ${f.path}`;
  return f.from ? `${what} (set by ${f.from})` : what;
}

/** A mode as chmod and stat write it: 0644, 02755. */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
