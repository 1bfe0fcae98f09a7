import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';
import { InputError } from '../../core/errors.js';
import { parseJsonFile } from '../json/parse-json.js';
import { quoted } from '../../reporters/sanitize.js';

/** Where the engine is, and how we learned it (shown in messages). */
export interface Endpoint {
  /** The address as a user would write it: unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  readonly address: string;
  readonly from: '--host' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'docker context' | 'default' | '--hosts-file';
  readonly options: DockerOptions;
  /** True for a unix socket: the engine runs on this machine and /proc shows its containers. */
  readonly local: boolean;
}

export const DEFAULT_SOCKET = 'unix:///var/run/docker.sock';

type Env = Readonly<Record<string, string | undefined>>;

/** The Docker CLI's order: --host, DOCKER_HOST, DOCKER_CONTEXT, the current context of config.json, the default socket. */
export function resolveEndpoint(flag: string | undefined, env: Env = process.env, home: string = homedir()): Endpoint {
  if (flag) return fromAddress(flag, '--host', env, home);
  if (env['DOCKER_HOST']) return fromAddress(env['DOCKER_HOST'], 'DOCKER_HOST', env, home);
  const configDir = env['DOCKER_CONFIG'] || join(home, '.docker');
  const context = env['DOCKER_CONTEXT'] || currentContext(configDir);
  if (context && context !== 'default') return fromContext(context, env['DOCKER_CONTEXT'] ? 'DOCKER_CONTEXT' : 'docker context', configDir, env, home);
  return fromAddress(DEFAULT_SOCKET, 'default', env, home);
}

/** One engine of a fleet given by address (--host, a line of --hosts-file). */
export function endpointAt(address: string, from: '--host' | '--hosts-file', env: Env = process.env, home: string = homedir()): Endpoint {
  return fromAddress(address, from, env, home);
}

/** Every context in the docker config's contexts/meta (`--context all`), sorted by name; the implicit `default` is not one. */
export function allContexts(env: Env = process.env, home: string = homedir()): Endpoint[] {
  const configDir = env['DOCKER_CONFIG'] || join(home, '.docker');
  const metaDir = join(configDir, 'contexts', 'meta');
  let digests: string[];
  try {
    digests = readdirSync(metaDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new InputError(`cannot read ${metaDir}: ${(e as Error).message}`);
    digests = [];
  }
  const names: string[] = [];
  for (const d of digests) {
    const text = readIfExists(join(metaDir, d, 'meta.json'));
    if (text === undefined) continue;
    const name = (parseJsonFile(text, join(metaDir, d, 'meta.json'), 'docker context') as { Name?: unknown } | null)?.Name;
    if (typeof name === 'string' && name !== '') names.push(name);
  }
  if (names.length === 0) throw new InputError(`--context all: no docker contexts in ${metaDir}`);
  return names.sort().map((n) => fromContext(n, 'docker context', configDir, env, home));
}

function currentContext(configDir: string): string | undefined {
  const text = readIfExists(join(configDir, 'config.json'));
  if (text === undefined) return undefined;
  const name = (parseJsonFile(text, join(configDir, 'config.json'), 'docker client configuration') as { currentContext?: unknown } | null)?.currentContext;
  return typeof name === 'string' ? name : undefined;
}

/** Contexts live in contexts/meta/<sha256 of name>/meta.json, TLS material in contexts/tls/<sha256>/docker/. */
function fromContext(name: string, from: Endpoint['from'], configDir: string, env: Env, home: string): Endpoint {
  const digest = createHash('sha256').update(name).digest('hex');
  const metaFile = join(configDir, 'contexts', 'meta', digest, 'meta.json');
  const text = readIfExists(metaFile);
  if (text === undefined) throw new InputError(`docker context "${name}" (from ${from}) not found: no ${metaFile}`);
  const host = (parseJsonFile(text, metaFile, `docker context "${name}"`) as { Endpoints?: { docker?: { Host?: unknown } } } | null)?.Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') throw new InputError(`docker context "${name}": ${metaFile} has no Endpoints.docker.Host`);
  const tlsDir = join(configDir, 'contexts', 'tls', digest, 'docker');
  return fromAddress(host, from, env, home, tlsDir);
}

function fromAddress(address: string, from: Endpoint['from'], env: Env, home: string, tlsDir?: string): Endpoint {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new InputError(`invalid Docker host ${quoted(address, { max: 200 })} (from ${from}): expected unix:///path, tcp://host:port or ssh://[user@]host`);
  }
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = url.pathname;
      if (!socketPath) throw new InputError(`invalid Docker host ${quoted(address, { max: 200 })} (from ${from}): no socket path`);
      return { address, from, options: { socketPath }, local: true };
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const certDir = tlsDir ?? (env['DOCKER_CERT_PATH'] || join(home, '.docker'));
      const tls = url.protocol === 'https:' || Boolean(env['DOCKER_TLS_VERIFY']) || Boolean(env['DOCKER_TLS']) || (tlsDir !== undefined && readIfExists(join(tlsDir, 'ca.pem')) !== undefined);
      const port = url.port || (tls ? '2376' : '2375');
      const options: DockerOptions = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port, protocol: tls ? 'https' : 'http' };
      if (tls) {
        const ca = readIfExists(join(certDir, 'ca.pem'));
        const cert = readIfExists(join(certDir, 'cert.pem'));
        const key = readIfExists(join(certDir, 'key.pem'));
        if (env['DOCKER_TLS_VERIFY'] && !ca) throw new InputError(`DOCKER_TLS_VERIFY is set but ${join(certDir, 'ca.pem')} is missing`);
        Object.assign(options, { ca, cert, key });
      }
      return { address, from, options, local: false };
    }
    case 'ssh:': {
      const options: DockerOptions = { protocol: 'ssh', host: url.hostname, port: url.port || '22' };
      if (url.username) options.username = decodeURIComponent(url.username);
      return { address, from, options, local: false };
    }
    default:
      throw new InputError(`unsupported Docker host "${address}" (from ${from}): expected unix://, tcp:// or ssh://`);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
}
