/**
 * Least-privilege capabilities for one container: drop ALL and add back only
 * what bulkhead has evidence for, each with its reason. The kernel keeps no
 * record of which capabilities a process used, so the evidence is what the
 * configuration says the container does (its ports, its user, its command)
 * and, for a running container on this machine, what /proc shows it doing
 * (the ports it listens on, the users its processes run as).
 */
import { CAPABILITIES, capabilityNamed, type CapName } from '../linux/capabilities.js';
import type { Container } from '../model/container.js';
import { baseName, containerGroups } from '../rules/support/commands.js';
import { own } from '../core/own.js';

export interface NeededCap {
  readonly name: CapName;
  readonly reason: string;
}

export interface CapSuggestion {
  /** What to add back after dropping ALL, in capability-number order. */
  readonly add: readonly NeededCap[];
  /** What the user should know: capabilities not needed and why, evidence bulkhead could not see. */
  readonly notes: readonly string[];
}

/** A process of a running container as /proc shows it. */
export interface ObservedProcess {
  readonly pid: number;
  readonly command: string;
  /** Its effective user id, as seen from the host. */
  readonly uid: number;
}

/** What a running container was seen doing. */
export interface Observation {
  /** Ports its processes listen on (TCP in LISTEN, bound UDP). */
  readonly ports: readonly number[];
  readonly processes: readonly ObservedProcess[];
}

export interface SuggestContext {
  readonly observed?: Observation;
  /** The engine's version (`/info` ServerVersion) for a live container. */
  readonly engineVersion?: string;
}

/** Programs that change user themselves: run as root, they need SETUID and SETGID to do it. */
const SWITCHES_USER: Readonly<Record<string, { readonly caps: readonly CapName[]; readonly why: string }>> = {
  gosu: { caps: ['SETUID', 'SETGID'], why: 'gosu changes to another user' },
  'su-exec': { caps: ['SETUID', 'SETGID'], why: 'su-exec changes to another user' },
  setpriv: { caps: ['SETUID', 'SETGID'], why: 'setpriv changes user' },
  su: { caps: ['SETUID', 'SETGID'], why: 'su changes user' },
  runuser: { caps: ['SETUID', 'SETGID'], why: 'runuser changes user' },
  chpst: { caps: ['SETUID', 'SETGID'], why: 'chpst -u changes user' },
  's6-setuidgid': { caps: ['SETUID', 'SETGID'], why: 's6-setuidgid changes user' },
  // nginx's master process creates its temporary folders for the workers' user, then starts the workers as that user.
  nginx: { caps: ['CHOWN', 'SETUID', 'SETGID'], why: "nginx's master process gives its temporary folders to its workers' user and starts the workers as that user" },
  httpd: { caps: ['SETUID', 'SETGID'], why: "httpd's parent process starts its workers as another user" },
  apache2: { caps: ['SETUID', 'SETGID'], why: "apache2's parent process starts its workers as another user" },
  apache2ctl: { caps: ['SETUID', 'SETGID'], why: "apache2's parent process starts its workers as another user" },
  apachectl: { caps: ['SETUID', 'SETGID'], why: "httpd's parent process starts its workers as another user" },
  // The official images (postgres, redis, mysql, mongo, …) chown their data folder, then drop to their user with gosu.
  'docker-entrypoint.sh': { caps: ['CHOWN', 'SETUID', 'SETGID'], why: "an official image's docker-entrypoint.sh gives its data folder to the service's user and drops to that user with gosu" },
  'docker-entrypoint': { caps: ['CHOWN', 'SETUID', 'SETGID'], why: "an official image's docker-entrypoint gives its data folder to the service's user and drops to that user with gosu" },
};

function switcher(program: string) {
  const name = baseName(program);
  // php-fpm, php8.2-fpm: the master starts its pool workers as the pool's user.
  if (/^php[0-9.]*-fpm[0-9.]*$/.test(name)) return { caps: ['SETUID', 'SETGID'] as const, why: `${name}'s master process starts its pool workers as the pool's user` };
  return own(SWITCHES_USER, name);
}

/**
 * Official images whose default command changes user: when a container runs
 * its image's own command, which a configuration does not show, the image's
 * name is the evidence. Only Docker Hub's official images (no namespace):
 * `bitnami/nginx` runs as a non-root user from the start.
 */
const OFFICIAL_IMAGES: Readonly<Record<string, { readonly program: string; readonly servers: readonly string[] }>> = {
  nginx: { program: 'nginx', servers: ['nginx'] },
  httpd: { program: 'httpd', servers: ['httpd-foreground', 'httpd'] },
  postgres: { program: 'docker-entrypoint.sh', servers: ['postgres'] },
  redis: { program: 'docker-entrypoint.sh', servers: ['redis-server'] },
  mysql: { program: 'docker-entrypoint.sh', servers: ['mysqld'] },
  mariadb: { program: 'docker-entrypoint.sh', servers: ['mariadbd', 'mysqld'] },
  mongo: { program: 'docker-entrypoint.sh', servers: ['mongod'] },
};

/**
 * The program an official image runs with its own entrypoint and the given
 * command (`nginx:1.25`, `docker.io/library/postgres@sha256:…`): its
 * entrypoint changes user only to start its server, so only when the
 * command is none, the server, or the server's options (`-c max_connections=200`).
 */
function officialProgram(image: string, cmd: readonly string[]): { program: string; repository: string } | undefined {
  const name = image.split('@')[0]!.replace(/^(docker\.io\/|index\.docker\.io\/)?(library\/)?/, '');
  const [repository, tag = ''] = name.split(':') as [string, string?];
  if (repository.includes('/')) return undefined;
  const known = repository === 'php' && tag.includes('fpm') ? { program: 'php-fpm', servers: ['php-fpm'] } : own(OFFICIAL_IMAGES, repository);
  if (!known) return undefined;
  const first = cmd[0];
  const runsServer = first === undefined || first.startsWith('-') || known.servers.includes(baseName(first));
  return runsServer ? { program: known.program, repository } : undefined;
}

/** Docker 20.10 and later set net.ipv4.ip_unprivileged_port_start=0 in a container's own network namespace. */
const LOW_PORTS_FREE_SINCE = [20, 10] as const;

export function suggestCapabilities(c: Container, context: SuggestContext = {}): CapSuggestion {
  const add = new Map<CapName, string>();
  const notes: string[] = [];
  const need = (cap: CapName, reason: string) => {
    if (!add.has(cap)) add.set(cap, reason);
  };

  if (c.privileged.origin !== 'absent' && c.privileged.value) {
    notes.push('privileged: capabilities are moot while the container is privileged (it has them all, and every device); remove privileged first');
  }

  const user = c.user.origin === 'absent' ? '' : c.user.value;
  // The configured user decides: a container that starts as root and whose processes all switched away is still one that changes user.
  const runsAsRoot = isRoot(user);

  lowPorts(c, context, runsAsRoot, need, notes);
  if (runsAsRoot) userSwitches(c, context.observed, need);

  for (const name of c.capAdd.origin === 'absent' ? [] : c.capAdd.value) {
    const cap = capabilityNamed(name);
    if (name.toUpperCase() === 'ALL') notes.push('cap_add ALL is not kept: it gives back every capability; add back only those listed');
    else if (cap) need(cap, 'added explicitly in the configuration; bulkhead cannot see whether it is used: remove it if the container works without it');
    else notes.push(`cap_add ${name}: not a capability bulkhead knows; left out`);
  }

  if (runsAsRoot) {
    notes.push(
      user === '' && c.source.kind !== 'engine' && c.source.kind !== 'inspect'
        ? "runs as the image's default user (root unless the image sets USER): root with no capabilities cannot write files it does not own or change their owner (DAC_OVERRIDE, FOWNER, CHOWN); add those back only if it must, better run as a non-root user"
        : 'runs as root: root with no capabilities cannot write files it does not own or change their owner (DAC_OVERRIDE, FOWNER, CHOWN); add those back only if it must, better run as a non-root user',
    );
  }
  if (add.size === 0) notes.push('no evidence that any capability is needed: drop ALL and add none');

  const order = (a: CapName, b: CapName) => capNumber(a) - capNumber(b);
  return { add: [...add.keys()].sort(order).map((name) => ({ name, reason: add.get(name)! })), notes };
}

function lowPorts(c: Container, context: SuggestContext, runsAsRoot: boolean, need: (cap: CapName, reason: string) => void, notes: string[]): void {
  const ownNetwork = c.networkMode.origin === 'absent' || c.networkMode.value !== 'host';
  // With host networking /proc shows the host's sockets (sshd on 22…), not the container's: only what it declares counts.
  if (!ownNetwork && context.observed?.ports.length) notes.push("host networking: the sockets seen are the host's, so only the ports the configuration declares are judged");
  const ports = new Set<number>(ownNetwork ? (context.observed?.ports ?? []) : []);
  if (c.ports.origin !== 'absent') for (const p of c.ports.value) ports.add(p.containerPort);
  if (c.exposedPorts.origin !== 'absent') for (const p of c.exposedPorts.value) ports.add(Number.parseInt(p, 10));
  const low = [...ports].filter((p) => Number.isInteger(p) && p > 0 && p < 1024).sort((a, b) => a - b);
  if (low.length === 0) return;
  const which = `port${low.length > 1 ? 's' : ''} ${low.join(', ')}`;
  const docker = c.source.kind === 'engine' || c.source.kind === 'inspect' || c.source.kind === 'compose';

  if (ownNetwork && c.source.kind === 'engine' && atLeast(context.engineVersion, LOW_PORTS_FREE_SINCE)) {
    notes.push(`listens on ${which}, below 1024: no capability needed, Docker ${context.engineVersion} lets any process bind them in the container's own network namespace (net.ipv4.ip_unprivileged_port_start=0)`);
    return;
  }
  const hint =
    ownNetwork && docker
      ? " (Docker 20.10 and later need no capability for this in the container's own network namespace: drop it there)"
      : ownNetwork && c.source.kind === 'kubernetes'
        ? ' (not needed where the runtime sets net.ipv4.ip_unprivileged_port_start=0, as containerd 2.0 does by default)'
        : '';
  need('NET_BIND_SERVICE', `binds ${which}, below 1024${hint}`);
  if (!runsAsRoot) {
    notes.push(
      `NET_BIND_SERVICE: a non-root process gets an added capability only through file capabilities on its program (setcap cap_net_bind_service=+ep PROGRAM in the image); simpler: listen on a port at or above 1024 and publish it as ${low[0]}`,
    );
  }
}

function userSwitches(c: Container, observed: Observation | undefined, need: (cap: CapName, reason: string) => void): void {
  if (observed) {
    const other = observed.processes.find((p) => p.uid !== 0);
    if (other) {
      const why = `process ${other.pid} (${short(other.command)}) runs as uid ${other.uid} in a container that starts as root: changing user needs them`;
      need('SETUID', why);
      need('SETGID', why);
    }
  }
  const groups = containerGroups(c);
  for (const group of groups) {
    for (const command of group.commands) {
      for (const program of [command.wrappedBy, command.name]) {
        const known = program === undefined ? undefined : switcher(program);
        if (known) for (const cap of known.caps) need(cap, known.why);
      }
    }
  }
  // The image's own entrypoint runs when the configuration names none (a command alone is passed to it).
  const entrypoint = c.entrypoint.origin === 'absent' ? [] : c.entrypoint.value;
  const cmd = c.cmd.origin === 'absent' ? [] : c.cmd.value;
  const official = entrypoint.length === 0 && c.image.origin !== 'absent' ? officialProgram(c.image.value, cmd) : undefined;
  const known = official && switcher(official.program);
  if (official && known) for (const cap of known.caps) need(cap, `the official ${official.repository} image's command: ${known.why}`);
}

function isRoot(user: string): boolean {
  const name = user.split(':')[0]!;
  return name === '' || name === 'root' || name === '0';
}

function atLeast(version: string | undefined, [major, minor]: readonly [number, number]): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

function capNumber(cap: CapName): number {
  return CAPABILITIES.indexOf(cap);
}

function short(command: string): string {
  return command.length > 40 ? `${command.slice(0, 39)}…` : command;
}
