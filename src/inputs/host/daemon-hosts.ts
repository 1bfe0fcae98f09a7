import { posix } from 'node:path';

/**
 * The addresses a dockerd listens on (`-H`, daemon.json `hosts`), read as
 * dockerd reads them (opts/hosts.go): `unix://PATH`, `tcp://HOST:PORT`, a
 * bare `HOST:PORT` meaning tcp, `fd://` for sockets handed over by systemd,
 * and an empty address or path meaning the default.
 */
export type DaemonHost =
  | { readonly kind: 'unix'; readonly path: string; readonly raw: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port?: number; readonly raw: string }
  /** Socket activation: the sockets of systemd's docker.socket (ListenStream=/run/docker.sock as packaged). */
  | { readonly kind: 'fd'; readonly raw: string }
  | { readonly kind: 'other'; readonly raw: string };

/** Where dockerd listens when nothing says (a rootless dockerd: $XDG_RUNTIME_DIR/docker.sock). */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
/** The socket systemd's packaged docker.socket creates for `-H fd://`. */
export const SOCKET_ACTIVATION_PATH = '/run/docker.sock';

export function parseDaemonHost(raw: string, defaultSocket = DEFAULT_UNIX_SOCKET): DaemonHost {
  const addr = raw.trim();
  if (addr === '') return { kind: 'unix', path: defaultSocket, raw };
  const sep = addr.indexOf('://');
  const proto = sep < 0 ? 'tcp' : addr.slice(0, sep).toLowerCase();
  const rest = sep < 0 ? addr : addr.slice(sep + 3);
  switch (proto) {
    case 'unix':
      return { kind: 'unix', path: rest === '' ? defaultSocket : rest, raw };
    case 'fd':
      return { kind: 'fd', raw };
    case 'tcp': {
      // tcp://[::1]:2376, tcp://0.0.0.0:2375, tcp://:2375, tcp:// (the default 127.0.0.1:2375, 2376 with TLS)
      const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?(?:\/.*)?$/.exec(rest);
      if (!m) return { kind: 'other', raw };
      const port = m[2] ? Number(m[2]) : undefined;
      return { kind: 'tcp', host: m[1]!.replace(/^\[(.*)\]$/, '$1'), ...(port !== undefined ? { port } : {}), raw };
    }
    default:
      return { kind: 'other', raw };
  }
}

/** Two spellings of one host path: /var/run is a link to /run on every current distribution. */
export function samePathName(a: string, b: string): boolean {
  const norm = (p: string) => posix.normalize(p).replace(/^\/var\/run\//, '/run/');
  return norm(a) === norm(b);
}
