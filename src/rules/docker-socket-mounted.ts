import { posix } from 'node:path';
import type { Rule } from '../core/rule.js';
import { eachContainer } from '../core/rule.js';

const SOCKET_SUFFIXES = ['docker.sock', 'containerd.sock', 'podman.sock', 'crio.sock'];
const SOCKET_NAMES = new Set(['cri-dockerd.sock', 'dockershim.sock', 'containerd.sock.ttrpc']);

/** Host directories that hold an engine socket (rootful, rootless and ~/.docker/run layouts). */
const SOCKET_DIRS: readonly RegExp[] = [
  /^(\/var)?\/run$/,
  /^(\/var)?\/run\/(containerd|podman|crio)$/,
  /^(\/var)?\/run\/user(\/\d+(\/podman)?)?$/,
  /\/\.docker\/run$/,
];

/** How a bind source exposes an engine socket: the socket itself, a directory holding one, or not at all. */
export function engineSocketExposure(source: string): 'socket' | 'directory' | undefined {
  if (!source.startsWith('/')) return undefined;
  const p = posix.normalize(source).replace(/(.)\/+$/, '$1');
  if (SOCKET_SUFFIXES.some((s) => p.endsWith(s)) || SOCKET_NAMES.has(posix.basename(p))) return 'socket';
  if (SOCKET_DIRS.some((re) => re.test(p))) return 'directory';
  return undefined;
}

export const dockerSocketMounted: Rule = {
  id: 'BH009',
  name: 'docker-socket-mounted',
  severity: 'critical',
  category: 'privileges',
  references: ['CIS-5.32'],
  aliases: ['KSV-0006', 'CKV_K8S_27', 'kics: Docker Socket Mounted'],
  docs: {
    summary: 'A container-engine socket (Docker, containerd, Podman, CRI-O) is mounted into the container.',
    rationale:
      'Whoever can talk to the engine socket can start a privileged container with the host\'s root filesystem mounted: it is root on the host. Mounting the socket read-only does not help, since connecting to a socket is not a write to the mount.',
    remediation: {
      docker: 'remove the -v/--mount of the socket (or of the directory that holds it); if the container must manage containers, give it a socket proxy that allows only the API calls it needs',
      compose: 'remove the socket from the service\'s volumes',
      kubernetes: 'remove the hostPath volume that points at the socket or its directory',
      ecs: 'remove the volume whose host.sourcePath is the socket, and its mountPoints entry',
    },
  },
  needs: ['runtime'],
  check(ctx) {
    eachContainer(ctx, (c, report) => {
      if (c.mounts.origin === 'absent') return;
      for (const m of c.mounts.value) {
        if (m.type !== 'bind') continue;
        const exposure = engineSocketExposure(m.source);
        if (exposure === 'socket')
          report(m, `mounts the engine socket ${m.source} at ${m.destination}${m.readOnly ? ' (read-only, which does not stop API calls)' : ''}`);
        else if (exposure === 'directory')
          report(m, `mounts host directory ${m.source}, which holds the engine socket, at ${m.destination}`);
      }
    });
  },
};
