import type { Finding } from '../../core/finding.js';

export interface FixOptions {
  /** Also remove explicit settings the workload may depend on (privileged, host namespaces, added capabilities). */
  readonly aggressive: boolean;
  /** pids_limit written where a container has none. */
  readonly pidsLimit: number;
  /** Memory limit written where a container has none, in MiB (compose `512m`, Kubernetes `512Mi`, ECS 512). */
  readonly memoryMiB: number;
}

export const DEFAULT_PIDS_LIMIT = 200;
export const DEFAULT_MEMORY_MIB = 512;

/** Something the fix left alone on purpose, or could not do, said on stderr. */
export interface FixNote {
  readonly finding: Finding;
  readonly text: string;
}
