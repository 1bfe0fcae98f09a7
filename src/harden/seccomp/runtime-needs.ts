/**
 * What the container runtime does between loading the filter and running
 * the process: runc loads it near the end of its set-up, then closes
 * descriptors, drops capabilities, changes user and directory, and execs,
 * while the Go runtime's threads go on (futex, signals, memory). A profile
 * built from a trace of the process alone must still allow these. The
 * runc calls were seen with a SCMP_ACT_LOG profile on runc 1.1 (root, --user,
 * -t, no-new-privileges); the rest are the Go runtime's, kept so that a
 * newer runc that moves a step after the filter still starts.
 * test/e2e/seccomp-strace.test.ts proves a profile of a trace plus these runs.
 */
export const RUNTIME_NEEDS: readonly string[] = [
  // runc, after the filter
  'openat', 'fstatfs', 'getdents64', 'fcntl', 'close', 'close_range', 'epoll_ctl', 'getcwd', 'faccessat2', 'fchown',
  'capget', 'capset', 'prctl', 'setgroups', 'setresuid', 'setresgid', 'setuid', 'setgid', 'chdir', 'getppid',
  'read', 'write', 'fstat', 'newfstatat', 'execve',
  // the Go runtime, meanwhile
  'futex', 'nanosleep', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'sigaltstack', 'mmap', 'munmap', 'madvise',
  'sched_yield', 'getpid', 'gettid', 'tgkill', 'epoll_pwait', 'exit', 'exit_group',
  // the process's own start, whatever the trace shows
  'brk', 'arch_prctl', 'set_tid_address',
];
