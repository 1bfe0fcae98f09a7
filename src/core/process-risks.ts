import type { ProcessFacts } from '../linux/process-facts.js';
import { NAMESPACE_TYPES } from '../linux/namespaces.js';

/** A fact about a process that weakens its isolation, keyed by the part of the facts it is about (`namespaces.net`, `mounts[0]`). */
export interface Risk {
  readonly key: string;
  readonly message: string;
}

const MOUNT_WORDS = {
  'engine-socket': 'the engine\'s socket: root on the host for whoever can write to it',
  'host-path': 'a host path bind-mounted',
  'writable-proc-sys': '/proc/sys writable: kernel settings of the host',
  'writable-sys': '/sys writable',
  'shared-propagation': 'shared propagation: mounts made here appear on the host, and back',
} as const;

/**
 * The lines `bulkhead inspect` highlights. Only for a process that is meant
 * to be isolated (a container, or any process with a namespace of its own):
 * a host process shares everything with the host by design.
 */
export function risksOf(f: ProcessFacts, isContainer: boolean): Risk[] {
  const isolated = isContainer || NAMESPACE_TYPES.some((t) => f.namespaces[t]?.sharedWithHost === false);
  if (!isolated) return [];
  const risks: Risk[] = [];
  for (const t of ['pid', 'net', 'ipc', 'uts', 'mnt', 'user', 'cgroup'] as const) {
    if (f.namespaces[t]?.sharedWithHost === true) risks.push({ key: `namespaces.${t}`, message: `shares the host's ${t} namespace` });
  }
  if (f.capabilities?.beyondDockerDefault.length) risks.push({ key: 'capabilities', message: `capabilities beyond Docker's default: ${f.capabilities.beyondDockerDefault.join(', ')}` });
  if (f.seccomp === 'disabled') risks.push({ key: 'seccomp', message: 'no seccomp filter: every system call is allowed' });
  if (f.apparmor === 'unconfined') risks.push({ key: 'apparmor', message: 'no AppArmor profile' });
  const limits = f.cgroups?.limits;
  if (limits?.memoryBytes === 'max') risks.push({ key: 'cgroups.memory', message: 'no memory limit' });
  if (limits?.pidsMax === 'max') risks.push({ key: 'cgroups.pids', message: 'no pids limit: a fork bomb takes the host down' });
  for (const [i, m] of (f.mounts ?? []).entries()) {
    risks.push({ key: `mounts[${i}]`, message: m.concerns.map((c) => MOUNT_WORDS[c]).join('; ') });
  }
  return risks;
}
