/** A position in an input file. All fields are 1-based. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

/**
 * Where a fact came from:
 * - explicit: written in the input;
 * - inherited: from an enclosing level (pod securityContext, ECS task, compose `extends`);
 * - default: nothing was said, so the engine's default applies;
 * - absent: this input cannot know (a Dockerfile never says whether its container is privileged).
 */
export type Origin = 'explicit' | 'inherited' | 'default' | 'absent';

/** Anything a rule can point at: a logical path in the input, and a position when the input is a file. */
export interface At {
  /** Logical path, e.g. `HostConfig.Privileged`, `Mounts[2].Source`. */
  readonly path: string;
  readonly loc?: Loc;
}

export interface Known<T> extends At {
  readonly origin: 'explicit' | 'inherited' | 'default';
  readonly value: T;
}

export interface Absent extends At {
  readonly origin: 'absent';
}

export type Value<T> = Known<T> | Absent;

export function explicit<T>(value: T, path: string, loc?: Loc): Known<T> {
  return loc ? { origin: 'explicit', value, path, loc } : { origin: 'explicit', value, path };
}

export function byDefault<T>(value: T, path: string): Known<T> {
  return { origin: 'default', value, path };
}

export function absent(path: string): Absent {
  return { origin: 'absent', path };
}

/** True when the value is known (not absent). */
export function known<T>(v: Value<T>): v is Known<T> {
  return v.origin !== 'absent';
}
