/**
 * bulkhead's seccomp allowlist, written as named groups by purpose (in the
 * spirit of systemd's @system-service sets). Every syscall name bulkhead
 * knows belongs to exactly one group, so the groups are also the list of
 * known names. Names cover x86_64 with its x86 and x32 sub-architectures and
 * the other architectures Docker maps (arm, arm64, ppc64le, s390x, mips,
 * riscv64): a name a kernel does not have for its architecture is skipped by
 * runc when it loads the profile, so one list serves them all.
 *
 * `allowed` says whether the group is in the default profile. The default
 * matches Docker's default profile as it acts for a container with Docker's
 * default capabilities: what Docker allows only with a capability a default
 * container lacks (CAP_SYS_ADMIN, CAP_SYS_MODULE, …) is denied here, whatever
 * capabilities the container is given, until `--allow` says otherwise.
 */
export interface SyscallGroup {
  readonly name: `@${string}`;
  readonly allowed: boolean;
  readonly purpose: string;
  readonly syscalls: readonly string[];
}

export const SYSCALL_GROUPS: readonly SyscallGroup[] = [
  // ---- allowed by default ----
  {
    name: '@basic-io',
    allowed: true,
    purpose: 'read and write open descriptors, pipes, duplicate and close them',
    syscalls: [
      'read', 'write', 'readv', 'writev', 'pread64', 'pwrite64', 'preadv', 'preadv2', 'pwritev', 'pwritev2',
      'close', 'close_range', 'dup', 'dup2', 'dup3', 'lseek', '_llseek', 'llseek', 'fcntl', 'fcntl64', 'ioctl',
      'pipe', 'pipe2', 'sendfile', 'sendfile64', 'splice', 'tee', 'vmsplice', 'copy_file_range',
    ],
  },
  {
    name: '@file-system',
    allowed: true,
    purpose: 'open, stat, list, create, rename and remove files and directories; sync them',
    syscalls: [
      'open', 'openat', 'openat2', 'creat', 'access', 'faccessat', 'faccessat2',
      'stat', 'lstat', 'fstat', 'stat64', 'lstat64', 'fstat64', 'fstatat64', 'newfstatat', 'statx',
      'statfs', 'statfs64', 'fstatfs', 'fstatfs64', 'getdents', 'getdents64', 'getcwd', 'chdir', 'fchdir',
      'mkdir', 'mkdirat', 'mknod', 'mknodat', 'rmdir', 'rename', 'renameat', 'renameat2',
      'link', 'linkat', 'symlink', 'symlinkat', 'unlink', 'unlinkat', 'readlink', 'readlinkat',
      'truncate', 'truncate64', 'ftruncate', 'ftruncate64', 'fallocate', 'fsync', 'fdatasync', 'sync', 'syncfs',
      'sync_file_range', 'sync_file_range2', 'arm_sync_file_range', 'fadvise64', 'fadvise64_64', 'arm_fadvise64_64',
      'readahead', 'flock', 'umask', 'utime', 'utimes', 'utimensat', 'utimensat_time64', 'futimesat',
      'name_to_handle_at', 'cachestat', 'inotify_init', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch',
    ],
  },
  {
    name: '@file-mode',
    allowed: true,
    purpose: 'change permission bits',
    syscalls: ['chmod', 'fchmod', 'fchmodat', 'fchmodat2'],
  },
  {
    name: '@chown',
    allowed: true,
    purpose: 'change file owners (still needs CAP_CHOWN, which Docker grants by default)',
    syscalls: ['chown', 'chown32', 'fchown', 'fchown32', 'fchownat', 'lchown', 'lchown32'],
  },
  {
    name: '@xattr',
    allowed: true,
    purpose: 'read and write extended attributes',
    syscalls: [
      'getxattr', 'lgetxattr', 'fgetxattr', 'setxattr', 'lsetxattr', 'fsetxattr', 'listxattr', 'llistxattr',
      'flistxattr', 'removexattr', 'lremovexattr', 'fremovexattr',
    ],
  },
  {
    name: '@chroot',
    allowed: true,
    purpose: 'change the root directory (Docker allows it with CAP_SYS_CHROOT, in its default set)',
    syscalls: ['chroot'],
  },
  {
    name: '@memory',
    allowed: true,
    purpose: 'map, protect, lock and advise memory; anonymous memory files; memory barriers',
    syscalls: [
      'brk', 'mmap', 'mmap2', 'munmap', 'mprotect', 'mremap', 'madvise', 'mincore', 'msync', 'mlock', 'mlock2',
      'mlockall', 'munlock', 'munlockall', 'remap_file_pages', 'memfd_create', 'memfd_secret', 'membarrier',
      'pkey_alloc', 'pkey_free', 'pkey_mprotect', 'process_mrelease',
    ],
  },
  {
    name: '@process',
    allowed: true,
    purpose: 'create, run, wait for and end processes and threads; their ids, limits and thread state. '
      + 'clone may not create namespaces and clone3 fails with ENOSYS (so libc falls back to clone) unless unshare is allowed: '
      + 'a filter cannot see clone3\'s flags. personality only to the personalities Docker allows',
    syscalls: [
      'clone', 'clone3', 'fork', 'vfork', 'execve', 'execveat', 'exit', 'exit_group', 'wait4', 'waitid', 'waitpid',
      'getpid', 'getppid', 'gettid', 'getpgid', 'getpgrp', 'setpgid', 'getsid', 'setsid',
      'set_tid_address', 'set_robust_list', 'get_robust_list', 'rseq', 'restart_syscall', 'prctl', 'personality',
      'getrlimit', 'setrlimit', 'ugetrlimit', 'prlimit64', 'getrusage', 'times', 'getpriority', 'setpriority',
      'pidfd_open', 'uname', 'sysinfo', 'getrandom', 'getcpu',
    ],
  },
  {
    name: '@credentials',
    allowed: true,
    purpose: 'read and change user and group ids and capabilities (changing them still needs the capability)',
    syscalls: [
      'getuid', 'getuid32', 'geteuid', 'geteuid32', 'getgid', 'getgid32', 'getegid', 'getegid32',
      'getresuid', 'getresuid32', 'getresgid', 'getresgid32', 'getgroups', 'getgroups32',
      'setuid', 'setuid32', 'setgid', 'setgid32', 'setreuid', 'setreuid32', 'setregid', 'setregid32',
      'setresuid', 'setresuid32', 'setresgid', 'setresgid32', 'setgroups', 'setgroups32',
      'setfsuid', 'setfsuid32', 'setfsgid', 'setfsgid32', 'capget', 'capset',
    ],
  },
  {
    name: '@sandbox',
    allowed: true,
    purpose: 'a process restricting itself further: seccomp filters, Landlock',
    syscalls: ['seccomp', 'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self'],
  },
  {
    name: '@signal',
    allowed: true,
    purpose: 'send, handle, block and wait for signals',
    syscalls: [
      'kill', 'tkill', 'tgkill', 'pidfd_send_signal', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'rt_sigpending',
      'rt_sigsuspend', 'rt_sigtimedwait', 'rt_sigtimedwait_time64', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo',
      'sigaltstack', 'sigreturn', 'sigprocmask', 'signalfd', 'signalfd4', 'pause',
    ],
  },
  {
    name: '@time',
    allowed: true,
    purpose: 'read clocks and sleep (adjtimex and clock_adjtime only read the clock without CAP_SYS_TIME)',
    syscalls: [
      'clock_gettime', 'clock_gettime64', 'clock_getres', 'clock_getres_time64', 'gettimeofday', 'time',
      'nanosleep', 'clock_nanosleep', 'clock_nanosleep_time64', 'adjtimex', 'clock_adjtime', 'clock_adjtime64',
    ],
  },
  {
    name: '@timer',
    allowed: true,
    purpose: 'interval timers, POSIX timers, timer descriptors, alarm',
    syscalls: [
      'alarm', 'getitimer', 'setitimer', 'timer_create', 'timer_delete', 'timer_getoverrun', 'timer_gettime',
      'timer_gettime64', 'timer_settime', 'timer_settime64', 'timerfd_create', 'timerfd_gettime', 'timerfd_gettime64',
      'timerfd_settime', 'timerfd_settime64',
    ],
  },
  {
    name: '@ipc',
    allowed: true,
    purpose: 'futexes, System V and POSIX message queues, semaphores and shared memory, event descriptors',
    syscalls: [
      'futex', 'futex_time64', 'futex_waitv', 'futex_wake', 'futex_wait', 'futex_requeue', 'eventfd', 'eventfd2', 'ipc',
      'msgget', 'msgctl', 'msgsnd', 'msgrcv', 'semget', 'semctl', 'semop', 'semtimedop', 'semtimedop_time64',
      'shmget', 'shmctl', 'shmat', 'shmdt', 'mq_open', 'mq_unlink', 'mq_getsetattr', 'mq_notify',
      'mq_timedsend', 'mq_timedsend_time64', 'mq_timedreceive', 'mq_timedreceive_time64',
    ],
  },
  {
    name: '@io-event',
    allowed: true,
    purpose: 'wait for descriptors to become ready: poll, select, epoll',
    syscalls: [
      'poll', 'ppoll', 'ppoll_time64', 'select', '_newselect', 'pselect6', 'pselect6_time64',
      'epoll_create', 'epoll_create1', 'epoll_ctl', 'epoll_ctl_old', 'epoll_wait', 'epoll_wait_old', 'epoll_pwait',
      'epoll_pwait2',
    ],
  },
  {
    name: '@aio',
    allowed: true,
    purpose: 'Linux native asynchronous I/O (io_submit and friends; io_uring is its own group)',
    syscalls: ['io_setup', 'io_destroy', 'io_submit', 'io_cancel', 'io_getevents', 'io_pgetevents', 'io_pgetevents_time64'],
  },
  {
    name: '@network-io',
    allowed: true,
    purpose: 'sockets: create, connect, listen, send, receive. socket may not open AF_ALG (kernel crypto) or AF_VSOCK (host-guest) sockets '
      + '(32-bit x86 programs can through socketcall, whose arguments a filter cannot read, as under Docker\'s profile)',
    syscalls: [
      'socket', 'socketpair', 'socketcall', 'bind', 'listen', 'accept', 'accept4', 'connect', 'shutdown',
      'getsockname', 'getpeername', 'getsockopt', 'setsockopt', 'send', 'sendto', 'sendmsg', 'sendmmsg',
      'recv', 'recvfrom', 'recvmsg', 'recvmmsg', 'recvmmsg_time64',
    ],
  },
  {
    name: '@scheduling',
    allowed: true,
    purpose: 'scheduler policy, priority, CPU affinity and I/O priority of one\'s own processes',
    syscalls: [
      'sched_yield', 'sched_getaffinity', 'sched_setaffinity', 'sched_getattr', 'sched_setattr', 'sched_getparam',
      'sched_setparam', 'sched_getscheduler', 'sched_setscheduler', 'sched_get_priority_max', 'sched_get_priority_min',
      'sched_rr_get_interval', 'sched_rr_get_interval_time64', 'ioprio_get', 'ioprio_set',
    ],
  },
  {
    name: '@arch-specific',
    allowed: true,
    purpose: 'calls one architecture\'s C library needs: x86 thread areas and LDT, arm TLS and cache flush, ppc, s390, riscv',
    syscalls: [
      'arch_prctl', 'modify_ldt', 'set_thread_area', 'get_thread_area', 'set_tls', 'breakpoint', 'cacheflush',
      'swapcontext', 's390_runtime_instr', 's390_pci_mmio_read', 's390_pci_mmio_write', 'riscv_flush_icache',
    ],
  },
  // ---- denied by default ----
  {
    name: '@mount',
    allowed: false,
    purpose: 'mount and unmount file systems, the new mount API, pivot_root (Docker: CAP_SYS_ADMIN only)',
    syscalls: [
      'mount', 'umount', 'umount2', 'pivot_root', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount', 'open_tree',
      'open_tree_attr', 'mount_setattr', 'statmount', 'listmount',
    ],
  },
  {
    name: '@namespaces',
    allowed: false,
    purpose: 'create and enter namespaces; allowing unshare also lets clone and clone3 create them (Docker: CAP_SYS_ADMIN only)',
    syscalls: ['unshare', 'setns'],
  },
  {
    name: '@module',
    allowed: false,
    purpose: 'load and unload kernel modules (Docker: CAP_SYS_MODULE only)',
    syscalls: ['init_module', 'finit_module', 'delete_module', 'create_module', 'query_module', 'get_kernel_syms'],
  },
  {
    name: '@reboot',
    allowed: false,
    purpose: 'reboot or replace the running kernel (reboot: CAP_SYS_BOOT only; kexec: never in Docker)',
    syscalls: ['reboot', 'kexec_load', 'kexec_file_load'],
  },
  {
    name: '@clock',
    allowed: false,
    purpose: 'set the system clock (Docker: CAP_SYS_TIME only)',
    syscalls: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
  },
  {
    name: '@ptrace',
    allowed: false,
    purpose: 'trace, inspect and manipulate other processes (Docker: CAP_SYS_PTRACE, or kernel 4.8+ for ptrace itself)',
    syscalls: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'pidfd_getfd', 'process_madvise'],
  },
  {
    name: '@keyring',
    allowed: false,
    purpose: 'the kernel keyring, not namespaced (never in Docker)',
    syscalls: ['keyctl', 'add_key', 'request_key'],
  },
  {
    name: '@bpf',
    allowed: false,
    purpose: 'load eBPF programs and maps (Docker: CAP_SYS_ADMIN or CAP_BPF only)',
    syscalls: ['bpf'],
  },
  {
    name: '@io_uring',
    allowed: false,
    purpose: 'io_uring, a large and often exploited kernel interface that bypasses this filter (never in current Docker)',
    syscalls: ['io_uring_setup', 'io_uring_enter', 'io_uring_register'],
  },
  {
    name: '@perf',
    allowed: false,
    purpose: 'performance monitoring and kernel tracing (Docker: CAP_SYS_ADMIN or CAP_PERFMON only)',
    syscalls: ['perf_event_open', 'lookup_dcookie'],
  },
  {
    name: '@swap',
    allowed: false,
    purpose: 'turn swap devices on and off (never in Docker)',
    syscalls: ['swapon', 'swapoff'],
  },
  {
    name: '@accounting',
    allowed: false,
    purpose: 'process accounting (Docker: CAP_SYS_PACCT only)',
    syscalls: ['acct'],
  },
  {
    name: '@raw-io',
    allowed: false,
    purpose: 'direct port I/O and PCI configuration space (Docker: CAP_SYS_RAWIO only)',
    syscalls: ['iopl', 'ioperm', 'pciconfig_read', 'pciconfig_write', 'pciconfig_iobase'],
  },
  {
    name: '@quota',
    allowed: false,
    purpose: 'disk quotas (Docker: CAP_SYS_ADMIN only)',
    syscalls: ['quotactl', 'quotactl_fd'],
  },
  {
    name: '@hostname',
    allowed: false,
    purpose: 'set the host and domain name (Docker: CAP_SYS_ADMIN only)',
    syscalls: ['sethostname', 'setdomainname'],
  },
  {
    name: '@syslog',
    allowed: false,
    purpose: 'read and clear the kernel log buffer (Docker: CAP_SYS_ADMIN or CAP_SYSLOG only)',
    syscalls: ['syslog'],
  },
  {
    name: '@numa',
    allowed: false,
    purpose: 'NUMA memory policy and moving pages between nodes (Docker: CAP_SYS_NICE only, migrate_pages and move_pages never)',
    syscalls: ['get_mempolicy', 'set_mempolicy', 'set_mempolicy_home_node', 'mbind', 'migrate_pages', 'move_pages'],
  },
  {
    name: '@userfaultfd',
    allowed: false,
    purpose: 'handle page faults in user space, a favourite of kernel exploits (never in Docker)',
    syscalls: ['userfaultfd'],
  },
  {
    name: '@open-by-handle',
    allowed: false,
    purpose: 'open a file by its handle, escaping a bind mount (the "shocker" escape; Docker: CAP_DAC_READ_SEARCH only)',
    syscalls: ['open_by_handle_at'],
  },
  {
    name: '@fanotify',
    allowed: false,
    purpose: 'file system wide access notification (Docker: CAP_SYS_ADMIN only for fanotify_init)',
    syscalls: ['fanotify_init', 'fanotify_mark'],
  },
  {
    name: '@tty',
    allowed: false,
    purpose: 'hang up the controlling terminal (Docker: CAP_SYS_TTY_CONFIG only)',
    syscalls: ['vhangup'],
  },
  {
    name: '@newer',
    allowed: false,
    purpose: 'calls newer than Docker\'s default profile, not yet judged: LSM attributes, memory sealing, shadow stacks, xattrs by descriptor path, file attributes, uretprobe',
    syscalls: [
      'lsm_get_self_attr', 'lsm_set_self_attr', 'lsm_list_modules', 'mseal', 'map_shadow_stack', 'uretprobe',
      'setxattrat', 'getxattrat', 'listxattrat', 'removexattrat', 'file_getattr', 'file_setattr', 'riscv_hwprobe',
    ],
  },
  {
    name: '@obsolete',
    allowed: false,
    purpose: 'calls that are obsolete, unimplemented or for 32-bit compatibility only, which Docker does not allow either',
    syscalls: [
      '_sysctl', 'sysfs', 'ustat', 'uselib', 'nfsservctl', 'bdflush', 'afs_syscall', 'tuxcall', 'security', 'vserver',
      'getpmsg', 'putpmsg', 'break', 'ftime', 'gtty', 'stty', 'idle', 'lock', 'mpx', 'prof', 'profil', 'ulimit',
      'oldstat', 'oldfstat', 'oldlstat', 'olduname', 'oldolduname', 'readdir', 'signal', 'sigaction', 'sigpending',
      'sigsuspend', 'sgetmask', 'ssetmask', 'nice', 'vm86', 'vm86old',
    ],
  },
];

export type GroupName = SyscallGroup['name'];

const byName = new Map(SYSCALL_GROUPS.map((g) => [g.name as string, g]));
const groupOf = new Map<string, SyscallGroup>();
for (const g of SYSCALL_GROUPS) for (const s of g.syscalls) groupOf.set(s, g);

/** Every syscall name bulkhead knows, sorted. */
export const KNOWN_SYSCALLS: readonly string[] = [...groupOf.keys()].sort();

export function syscallGroup(name: string): SyscallGroup | undefined {
  return byName.get(name);
}

/** The group a syscall belongs to (every known syscall has one). */
export function groupOfSyscall(name: string): SyscallGroup | undefined {
  return groupOf.get(name);
}

/** The syscalls the default profile allows. */
export function defaultAllowed(): Set<string> {
  return new Set(SYSCALL_GROUPS.filter((g) => g.allowed).flatMap((g) => g.syscalls));
}
