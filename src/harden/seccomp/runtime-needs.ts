/**
 * What the container runtime does between loading the filter and running
 * the process (runc loads it just before its last steps, then execve):
 * a profile built from a trace of the process alone must still allow these.
 * Found by running containers under a profile of only these on the private
 * engine (test/e2e/seccomp-strace.test.ts keeps it honest).
 */
export const RUNTIME_NEEDS: readonly string[] = [
  'execve', 'exit_group', 'exit', 'futex', 'nanosleep', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn', 'sigaltstack',
  'mmap', 'munmap', 'madvise', 'sched_yield', 'getpid', 'gettid', 'tgkill', 'epoll_pwait', 'close', 'close_range',
  'fcntl', 'openat', 'read', 'write', 'fstat', 'newfstatat', 'getdents64', 'capget', 'capset', 'prctl', 'setgroups',
  'setresuid', 'setresgid', 'setuid', 'setgid', 'chdir', 'getppid', 'brk', 'arch_prctl', 'set_tid_address',
];
