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

/**
 * The capabilities set in a mask as /proc/PID/status writes it (CapEff and
 * friends: hex, `0x` optional, at most 16 digits), lowercase without `cap_`,
 * lowest bit first. A bit this table does not name yet is given as its number,
 * as `capsh --decode` does. Anything that is not such a mask throws (capsh
 * itself accepts garbage silently).
 */
export function decodeCapMask(hex: string): string[] {
  const digits = hex.trim().replace(/^0x/i, '');
  if (!/^[0-9a-f]{1,16}$/i.test(digits)) throw new CapMaskError(`not a capability mask: ${JSON.stringify(hex.slice(0, 40))} (expected up to 16 hex digits, as CapEff in /proc/PID/status)`);
  const mask = BigInt(`0x${digits}`);
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((mask >> BigInt(bit)) & 1n) names.push(CAPABILITIES[bit]?.toLowerCase() ?? String(bit));
  }
  return names;
}

export class CapMaskError extends Error {}
