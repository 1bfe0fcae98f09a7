import type { Command } from 'commander';
import { NAMESPACES, type Namespace } from '../linux/nsenter.js';

export type EnterOptions = { host?: string } & Partial<Record<Namespace, boolean>>;

export function registerEnter(program: Command): void {
  const cmd = program
    .command('enter')
    .description('run a host command inside a container\'s (or a process\'s) namespaces with util-linux nsenter, e.g. `bulkhead enter web -- ss -tlnp`; default: the network namespace only; the exit status is the command\'s')
    .argument('<target>', 'a container name or id (resolved through the engine to its PID), or a PID (all digits)')
    .argument('[command...]', 'the command and its arguments, after --')
    .option('-H, --host <url>', 'Docker engine: unix:///path, tcp://host:port, ssh://user@host; default: DOCKER_HOST, DOCKER_CONTEXT, the current docker context, unix:///var/run/docker.sock');
  const what: Readonly<Record<Namespace, string>> = {
    net: 'network: interfaces, addresses, routes, sockets',
    pid: 'PID namespace (the command forks into it; /proc stays the host\'s unless --mnt)',
    uts: 'hostname and domain name',
    ipc: 'System V IPC and POSIX message queues',
    mnt: 'mount namespace: the container\'s files, so its binaries, not the host\'s',
    user: 'user namespace (containers run with userns-remap have one)',
    cgroup: 'cgroup namespace: the cgroup tree as the container sees it',
  };
  for (const ns of NAMESPACES) cmd.option(`--${ns}`, what[ns]);
  cmd.action(async (target: string, command: string[], opts: EnterOptions) => {
    // Loaded on use: `bulkhead --help` needs none of it.
    const { enter } = await import('./enter-run.js');
    process.exitCode = await enter(target, command, opts);
  });
}
