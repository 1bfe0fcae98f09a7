/* Makes one exact syscall and prints "NAME ok" or "NAME ERRNO" (EPERM, ENOSYS, …),
 * for the seccomp tests: busybox cannot choose which syscall it makes. Built static. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nothing(void *arg) { return arg; }

static long child_status(long pid) {
  int status;
  if (pid < 0) return pid;
  if (pid == 0) _exit(0);
  return waitpid((pid_t)pid, &status, 0) < 0 ? -1 : 0;
}

/* PTRACE_TRACEME makes the parent our tracer for good: try it in a child that reports errno as its exit status. */
static long traceme_in_child(void) {
  int status;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) _exit(ptrace(PTRACE_TRACEME, 0, 0, 0) < 0 ? errno : 0);
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 0) return WIFEXITED(status) ? 0 : (errno = EINTR, -1);
  errno = WEXITSTATUS(status);
  return -1;
}

static long run(const char *name) {
  if (!strcmp(name, "unshare-uts")) return unshare(CLONE_NEWUTS);
  if (!strcmp(name, "setns")) return syscall(SYS_setns, -1, 0) < 0 && errno == EBADF ? 0 : -1;
  if (!strcmp(name, "clone-newuts")) return child_status(syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0));
  if (!strcmp(name, "clone-plain")) return child_status(syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0));
  if (!strcmp(name, "clone3")) {
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.exit_signal = SIGCHLD;
    return child_status(syscall(SYS_clone3, &args, sizeof args));
  }
  if (!strcmp(name, "thread")) {
    pthread_t t;
    int e = pthread_create(&t, 0, nothing, 0);
    if (e) { errno = e; return -1; }
    return pthread_join(t, 0) ? -1 : 0;
  }
  if (!strcmp(name, "mount-tmpfs")) return mount("none", "/tmp", "tmpfs", 0, 0);
  /* Needs CAP_SYS_TIME but, with both NULL, changes nothing: safe to succeed. */
  if (!strcmp(name, "settimeofday")) return syscall(SYS_settimeofday, 0, 0);
  if (!strcmp(name, "ptrace-traceme")) return traceme_in_child();
  if (!strcmp(name, "keyctl")) return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
  if (!strcmp(name, "socket-inet")) return socket(AF_INET, SOCK_STREAM, 0);
  if (!strcmp(name, "socket-unix")) return socket(AF_UNIX, SOCK_STREAM, 0);
  if (!strcmp(name, "socket-alg")) return socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0);
  if (!strcmp(name, "socket-vsock")) return socket(40 /* AF_VSOCK */, SOCK_STREAM, 0);
  if (!strcmp(name, "personality-query")) return personality(0xffffffff);
  if (!strcmp(name, "personality-no-aslr")) return personality(ADDR_NO_RANDOMIZE);
  if (!strcmp(name, "io_uring")) return syscall(SYS_io_uring_setup, 0, 0);
  errno = EINVAL;
  return -2;
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  for (int i = 1; i < argc; i++) {
    errno = 0;
    long r = run(argv[i]);
    if (r == -2) { fprintf(stderr, "unknown probe %s\n", argv[i]); return 2; }
    printf("%s %s\n", argv[i], r < 0 ? strerrorname_np(errno) : "ok");
  }
  return 0;
}
