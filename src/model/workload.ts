import type { Container } from './container.js';
import type { Value } from './value.js';
import type { Build } from './build.js';

/** Facts about the engine that serve the audited containers (from `GET /info`). */
export interface Daemon {
  readonly name: string;
  readonly serverVersion: string;
  /** Swarm node state: inactive, pending, active, error, locked. */
  readonly swarm: Value<string>;
  /** `SecurityOptions` of /info, e.g. name=seccomp,profile=default; name=apparmor; name=no-new-privileges. */
  readonly securityOptions: Value<readonly string[]>;
}

/** Everything one audit looks at. */
export interface Workload {
  readonly containers: readonly Container[];
  /** Present when an engine was reached. */
  readonly daemon?: Daemon;
  /** Dockerfiles, for the image-build rules. */
  readonly builds?: readonly Build[];
}

/** True when the daemon's security options contain `name=<option>`. */
export function daemonHas(daemon: Daemon | undefined, option: string): boolean | undefined {
  if (!daemon || daemon.securityOptions.origin === 'absent') return undefined;
  return daemon.securityOptions.value.some((o) => o.split(',').includes(`name=${option}`));
}
