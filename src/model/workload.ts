import type { Container } from './container.js';
import type { Value } from './value.js';
import type { Build } from './build.js';
import type { Host } from './host.js';
import type { ClientEnvironment, Image, Inventory } from './image.js';
import { subjectKey, type Subject } from './subject.js';

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
  /** The host's own facts, for the host, daemon and files sections. */
  readonly host?: Host;
  /** The engine's images, for the images section. */
  readonly images?: readonly Image[];
  /** Every image and container the engine keeps, for the operations section. */
  readonly inventory?: Inventory;
  /** The docker client's environment (content trust), read with the images section when bulkhead runs on the audited host. */
  readonly client?: ClientEnvironment;
}

/** True when the daemon's security options contain `name=<option>`. */
export function daemonHas(daemon: Daemon | undefined, option: string): boolean | undefined {
  if (!daemon || daemon.securityOptions.origin === 'absent') return undefined;
  return daemon.securityOptions.value.some((o) => o.split(',').includes(`name=${option}`));
}

/**
 * Everything the audit looked at, findings or not: the host, its daemon and
 * files, the images and the containers, in that (the benchmark's) order.
 * `moreContainers`: subjects of containers judged apart from the workload (an inspect file's, a batch at a time).
 */
export function subjectsOf(workload: Workload, moreContainers: readonly Subject[] = []): Subject[] {
  const out: Subject[] = [];
  const host = workload.host;
  if (host?.system) out.push({ kind: 'host', name: host.name });
  const daemonName = workload.daemon?.name || host?.name;
  if ((host?.daemon || workload.daemon) && daemonName) out.push({ kind: 'daemon', name: daemonName });
  for (const f of host?.files ?? []) out.push({ kind: 'file', name: f.path });
  for (const i of workload.images ?? []) out.push(i.subject);
  for (const c of workload.containers) out.push(c.subject);
  for (const c of moreContainers) out.push(c);
  // An image's configuration is also a Container (source kind image): one subject, listed once.
  const seen = new Set<string>();
  return out.filter((s) => {
    const key = subjectKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
