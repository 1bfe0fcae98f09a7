import { quoted } from '../reporters/sanitize.js';

/** Capability numbers (linux/capability.h), upper case without CAP_. */
export const CAPABILITIES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
] as const;

/** Docker's default set: what a container gets with no --cap-add/--cap-drop (mask 00000000a80425fb). */
export const DOCKER_DEFAULT_CAPS: ReadonlySet<string> = new Set([
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP',
  'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
]);

/** Capabilities that amount to (or lead straight to) root on the host, and why. */
export const DANGEROUS_CAPS: Readonly<Record<string, string>> = {
  ALL: 'every capability: the container is as powerful as root on the host',
  SYS_ADMIN: 'mount, namespaces, BPF and many more: the usual path out of a container',
  SYS_MODULE: 'loads kernel modules: arbitrary code in the host kernel',
  SYS_PTRACE: 'traces and injects into processes, including host processes when the PID namespace is shared',
  DAC_READ_SEARCH: 'reads any file by handle (open_by_handle_at), the "shocker" escape to host files',
  NET_ADMIN: 'reconfigures interfaces, routes and firewall rules of its network namespace (the host\'s with --network host)',
  SYS_RAWIO: 'raw I/O ports and devices: reads and writes host memory and disks',
  SYS_BOOT: 'reboots the host',
  SYS_TIME: 'sets the host clock',
  BPF: 'loads BPF programs into the kernel',
  PERFMON: 'kernel performance monitoring, a source of kernel address leaks',
  MAC_ADMIN: 'changes the mandatory access control (AppArmor, SELinux) policy',
  MAC_OVERRIDE: 'bypasses mandatory access control',
  LINUX_IMMUTABLE: 'changes immutable and append-only file flags',
  SYSLOG: 'reads kernel logs, a source of kernel address leaks',
};

export type CapName = (typeof CAPABILITIES)[number];

/** What each capability lets a process do, in a line (after capabilities(7), in our words). */
export const CAP_DESCRIPTIONS: Readonly<Record<CapName, string>> = {
  CHOWN: 'change the owner and group of any file',
  DAC_OVERRIDE: 'ignore file read, write and execute permission checks',
  DAC_READ_SEARCH: 'ignore read permission on files and search permission on directories; open files by handle (open_by_handle_at)',
  FOWNER: 'act as the owner of any file: chmod, set times, ACLs and flags on files it does not own',
  FSETID: 'keep the setuid and setgid bits when modifying a file, and set setgid on files of other groups',
  KILL: 'send signals to processes of other users',
  SETGID: 'change its group ids and supplementary groups to anything; forge gids on UNIX sockets',
  SETUID: 'change its user ids to anything; forge uids on UNIX sockets',
  SETPCAP: 'add capabilities of its bounding set to its inheritable set, drop from the bounding set, change securebits',
  LINUX_IMMUTABLE: 'set and clear the immutable and append-only file flags',
  NET_BIND_SERVICE: 'bind sockets to ports below 1024',
  NET_BROADCAST: 'send broadcasts and listen to multicast (unused by the kernel today)',
  NET_ADMIN: 'configure interfaces, addresses, routes, firewall rules, traffic control and promiscuous mode',
  NET_RAW: 'open raw and packet sockets: forge any packet, sniff traffic, bind to any address',
  IPC_LOCK: 'lock memory into RAM (mlock, huge pages) beyond the limits',
  IPC_OWNER: 'ignore permission checks on System V IPC objects',
  SYS_MODULE: 'load and unload kernel modules',
  SYS_RAWIO: 'raw I/O: I/O ports (iopl, ioperm), /dev/mem and /dev/kmem, raw SCSI commands',
  SYS_CHROOT: 'call chroot and change mount namespace with setns',
  SYS_PTRACE: 'trace and inspect any process (ptrace, process_vm_readv/writev, kcmp)',
  SYS_PACCT: 'turn process accounting on and off',
  SYS_ADMIN: 'a catch-all of administration: mount, swapon, sethostname, setns, quotactl, keyctl, BPF and perf on older kernels, and much more',
  SYS_BOOT: 'reboot the machine and load a new kernel (kexec_load)',
  SYS_NICE: 'raise the priority of processes, set real-time scheduling, CPU affinity and NUMA policy of any process',
  SYS_RESOURCE: 'go beyond resource limits and quotas: reserved disk space, rlimits, message queue and pipe sizes',
  SYS_TIME: 'set the system clock and the hardware clock',
  SYS_TTY_CONFIG: 'vhangup and privileged ioctls on virtual terminals',
  MKNOD: 'create device files with mknod',
  LEASE: 'take file leases on files it does not own',
  AUDIT_WRITE: 'write records to the kernel audit log',
  AUDIT_CONTROL: 'enable and disable kernel auditing, change audit rules, read audit status',
  SETFCAP: 'set file capabilities on any file; map user id 0 in a new user namespace',
  MAC_OVERRIDE: 'bypass the mandatory access control policy (for Smack)',
  MAC_ADMIN: 'change the mandatory access control policy and configuration (Smack, AppArmor)',
  SYSLOG: 'read and clear the kernel log (syslog), see kernel addresses in /proc despite kptr_restrict',
  WAKE_ALARM: 'set timers that wake the system from suspend',
  BLOCK_SUSPEND: 'block system suspend (epoll wakeups)',
  AUDIT_READ: 'read the audit log through a multicast netlink socket',
  PERFMON: 'use performance monitoring: perf_event_open and BPF tracing',
  BPF: 'load BPF programs and create BPF maps, including privileged kinds',
  CHECKPOINT_RESTORE: 'checkpoint and restore helpers: set the PID of a new process, read /proc/PID/map_files',
};

/** Upper case without CAP_ from SYS_ADMIN, sys_admin or CAP_SYS_ADMIN; undefined when it names no capability. */
export function capabilityNamed(text: string): CapName | undefined {
  const upper = text.trim().toUpperCase().replace(/^CAP_/, '');
  return (CAPABILITIES as readonly string[]).includes(upper) ? (upper as CapName) : undefined;
}

/** A capability set as the kernel holds it: one bit per capability number, 64 bits. */
export type CapMask = bigint;

const MASK_TEXT = /^(?:0x)?([0-9a-f]{1,16})$/i;

/** The hex of /proc/PID/status (CapEff and the others), `0x` optional, at most 16 digits; undefined for anything else. */
export function parseCapMask(text: string): CapMask | undefined {
  const m = MASK_TEXT.exec(text.trim());
  return m ? BigInt(`0x${m[1]}`) : undefined;
}

/** 16 hex digits, as /proc/PID/status writes a mask. */
export function formatCapMask(mask: CapMask): string {
  return mask.toString(16).padStart(16, '0');
}

/**
 * The names of the bits set, in bit order, lowercase without cap_ (the
 * inspect JSON contract). A bit beyond the capabilities this table knows (a
 * newer kernel) is named by its number, as `capsh --decode` does: never dropped.
 */
export function capNames(mask: CapMask): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((mask >> BigInt(bit)) & 1n) names.push(CAPABILITIES[bit]?.toLowerCase() ?? String(bit));
  }
  return names;
}

/** The mask of a set of capability names (upper case without CAP_). */
export function capMaskOf(names: Iterable<CapName>): CapMask {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(CAPABILITIES.indexOf(name));
  return mask;
}

/** Risks of capabilities that are in Docker's default set or otherwise not in DANGEROUS_CAPS but worth a word. */
export const CAP_RISK_NOTES: Readonly<Partial<Record<CapName, string>>> = {
  NET_RAW: 'forged packets on the container network: ARP and DNS spoofing of neighbours, a default Docker keeps for ping',
  DAC_OVERRIDE: 'root in the container ignores file permissions on every file it can reach, host files bind-mounted in included',
  MKNOD: 'creates device files; the device cgroup is what stops them from opening host disks',
  SETFCAP: 'gives file capabilities to binaries in the image, and maps root in new user namespaces',
  SETUID: 'becomes any user, including the owner of files on bind mounts',
  SETGID: 'joins any group, including the groups of files on bind mounts',
  SYS_NICE: 'starves the host\'s processes of CPU with real-time priorities',
  SYS_RESOURCE: 'escapes resource limits meant to protect the host',
  IPC_LOCK: 'pins host memory',
  AUDIT_CONTROL: 'switches off the host\'s audit trail',
  NET_BROADCAST: 'no effect on current kernels; still beyond Docker\'s default set',
};

/** The Kubernetes Pod Security Standards baseline: the adds trivy's KSV-0022 allows (Docker's default set without NET_RAW). */
const PSS_BASELINE: ReadonlySet<string> = new Set([...DOCKER_DEFAULT_CAPS].filter((c) => c !== 'NET_RAW'));

/** CIS items that a community check names explicitly (docker-bench's 5.4 list). */
const CIS_NAMED: ReadonlySet<string> = new Set(['DAC_READ_SEARCH', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_PTRACE']);

export interface CapReference {
  /** `CIS-5.4`, `KSV-0022`, `CKV_K8S_39`, … (reference.md §1 and §2). */
  readonly id: string;
  /** Why it applies to this capability. */
  readonly why: string;
}

/** The CIS Docker Benchmark items about a capability. */
export function capCisItems(cap: CapName): CapReference[] {
  const items: CapReference[] = [];
  if (!DOCKER_DEFAULT_CAPS.has(cap)) {
    items.push({ id: 'CIS-5.4', why: CIS_NAMED.has(cap) ? 'capabilities restricted: adding it fails, and community checks name it explicitly' : 'capabilities restricted: adding it beyond Docker\'s default set fails' });
  } else {
    items.push({ id: 'CIS-5.4', why: 'capabilities restricted: a default one, to drop (--cap-drop) when the process does not need it' });
  }
  items.push({ id: 'CIS-5.5', why: 'a privileged container holds it, with every other capability' });
  return items;
}

/** The peers' rule ids that flag a container holding or adding a capability. */
export function capPeerIds(cap: CapName): CapReference[] {
  const ids: CapReference[] = [];
  if (!PSS_BASELINE.has(cap)) {
    ids.push({ id: 'KSV-0022', why: 'trivy: a non-default capability added (beyond the Pod Security baseline)' });
    ids.push({ id: 'CKV_K8S_25', why: 'checkov: a container with added capabilities' });
    ids.push({ id: 'kics: Container Capabilities Unrestricted', why: 'capabilities added or not dropped' });
  }
  if (cap === 'SYS_ADMIN') {
    ids.push({ id: 'KSV-0005', why: 'trivy: SYS_ADMIN added' });
    ids.push({ id: 'CKV_K8S_39', why: 'checkov: CAP_SYS_ADMIN used' });
  }
  if (cap === 'NET_RAW') {
    ids.push({ id: 'KSV-0119', why: 'trivy: NET_RAW added' });
    ids.push({ id: 'CKV_K8S_28', why: 'checkov: NET_RAW not dropped' });
  }
  if (cap === 'SYS_MODULE') ids.push({ id: 'KSV-0120', why: 'trivy: SYS_MODULE added' });
  if (cap !== 'NET_BIND_SERVICE') ids.push({ id: 'KSV-0106', why: 'trivy (restricted): only NET_BIND_SERVICE may be added back after dropping ALL' });
  if (DOCKER_DEFAULT_CAPS.has(cap)) ids.push({ id: 'KSV-0003', why: 'trivy: ALL not dropped, so the default capabilities, this one included, are held' });
  return ids;
}

export class CapMaskError extends Error {}

/**
 * The names in a mask as /proc/PID/status writes it (capNames of
 * parseCapMask); anything that is not such a mask throws CapMaskError, where
 * capsh accepts garbage silently.
 */
export function decodeCapMask(hex: string): string[] {
  const mask = parseCapMask(hex);
  if (mask === undefined) throw new CapMaskError(`not a capability mask: ${quoted(hex, { max: 40 })} (expected up to 16 hex digits, as CapEff in /proc/PID/status)`);
  return capNames(mask);
}
