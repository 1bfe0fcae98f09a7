import type { Build } from '../model/build.js';
import type { Container } from '../model/container.js';

/** What one input file contributes to the workload. */
export interface ScanResult {
  readonly containers: readonly Container[];
  readonly builds: readonly Build[];
}

/** File access for adapters that follow references (compose `.env`, `extends`, `build:`). */
export interface ScanIO {
  /** The text of a file, or undefined when it does not exist. Throws InputError when it exists but cannot be read. */
  readText(path: string): string | undefined;
  /** The environment compose interpolation reads after `.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const EMPTY: ScanResult = { containers: [], builds: [] };
