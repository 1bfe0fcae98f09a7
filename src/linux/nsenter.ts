import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { constants } from 'node:os';

/** The namespaces `bulkhead enter` can join, by their /proc/PID/ns name. */
export const NAMESPACES = ['net', 'pid', 'uts', 'ipc', 'mnt', 'user', 'cgroup'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** util-linux nsenter's flag for each. */
const FLAG: Readonly<Record<Namespace, string>> = {
  net: '--net', pid: '--pid', uts: '--uts', ipc: '--ipc', mnt: '--mount', user: '--user', cgroup: '--cgroup',
};

/** nsenter's argv: at least one namespace, or nsenter would run COMMAND where we are. */
export function nsenterArgs(pid: number, namespaces: readonly [Namespace, ...Namespace[]], command: readonly [string, ...string[]]): string[] {
  return ['--target', String(pid), ...namespaces.map((n) => FLAG[n]), '--', ...command];
}

/**
 * Why `pid`'s namespace links cannot be read, if they cannot: the kernel
 * hides them from a caller that may not ptrace the process (another user's
 * process, without root), which is also what setns would refuse.
 */
export function namespaceAccessProblem(pid: number, namespaces: readonly Namespace[], proc = '/proc'): 'gone' | 'denied' | undefined {
  for (const ns of namespaces) {
    try {
      readlinkSync(`${proc}/${pid}/ns/${ns}`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return 'denied';
      if (code === 'ENOENT' || code === 'ESRCH') return 'gone';
      throw e;
    }
  }
  return undefined;
}

export type NsenterResult = { readonly kind: 'exited'; readonly status: number } | { readonly kind: 'missing' };

/**
 * Runs nsenter with the terminal handed over (stdio inherited, no shell) and
 * resolves to the command's exit status, 128+n when a signal n ended it (as
 * a shell reports it). nsenter execs COMMAND, or with --pid forks, waits and
 * re-raises the child's signal, so its status is the command's.
 */
export function runNsenter(args: readonly string[], nsenter = 'nsenter'): Promise<NsenterResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(nsenter, args, { stdio: 'inherit' });
    // Ctrl-C reaches the whole foreground process group, the command
    // included: bulkhead waits for the command's own answer instead of dying
    // first. A SIGTERM or SIGHUP sent to bulkhead alone is passed on.
    const ignore = () => undefined;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const saved = (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const).map((s) => [s, process.listeners(s)] as const);
    for (const [s] of saved) process.removeAllListeners(s);
    process.on('SIGINT', ignore).on('SIGQUIT', ignore).on('SIGTERM', forward).on('SIGHUP', forward);
    const restore = () => {
      for (const [s, listeners] of saved) {
        process.removeAllListeners(s);
        for (const l of listeners) process.on(s, l as () => void);
      }
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      restore();
      if (e.code === 'ENOENT') resolve({ kind: 'missing' });
      else reject(e);
    });
    child.on('exit', (code, signal) => {
      restore();
      resolve({ kind: 'exited', status: code ?? 128 + (signal ? constants.signals[signal] : 0) });
    });
  });
}
