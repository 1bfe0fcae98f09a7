import { readlinkSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { posix } from 'node:path';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import type { Endpoint } from '../engine/endpoint.js';
import { parseDockerdArgs, type ParsedCommandLine } from './dockerd-args.js';
import type { DockerdFound } from './dockerd-process.js';
import { parseDaemonJson, type DaemonJson } from './daemon-json.js';
import { DEFAULT_UNIX_SOCKET, parseDaemonHost, samePathName, SOCKET_ACTIVATION_PATH, type DaemonHost } from './daemon-hosts.js';
import { quoted } from './quote.js';

/** Where dockerd reads daemon.json when no --config-file is given (as root). */
export const DEFAULT_CONFIG_FILE = '/etc/docker/daemon.json';

/** daemon.json as read: missing, unreadable, or parsed (well or not). */
export type ConfigFileRead =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly why: string }
  | { readonly state: 'read'; readonly json: DaemonJson };

/** One dockerd as its command line and daemon.json describe it. */
export interface DockerdView {
  readonly process: DockerdFound;
  readonly commandLine: ParsedCommandLine;
  /** Undefined when it cannot be known where the file is (a rootless dockerd whose environment cannot be read). */
  readonly configPath?: string;
  /** True when --config-file names it: then dockerd does not start without it. */
  readonly configGiven: boolean;
  readonly configFile?: ConfigFileRead;
  /** Where it listens: -H, else daemon.json `hosts`, else the default socket. */
  readonly hosts: readonly DaemonHost[];
}

/** Reads one dockerd's command line and daemon.json. */
export function viewOf(root: HostRoot, process: DockerdFound): DockerdView {
  const commandLine = parseDockerdArgs(process.argv);
  const rootless = process.uid !== undefined && process.uid !== 0;
  const configGiven = commandLine.configFile !== undefined;
  const configPath = configGiven ? absolute(root, process.pid, commandLine.configFile!) : rootless ? rootlessConfig(process.env) : DEFAULT_CONFIG_FILE;
  const configFile = configPath !== undefined ? readConfigFile(root, configPath) : undefined;
  const defaultSocket = rootless && process.env?.get('XDG_RUNTIME_DIR') ? `${process.env.get('XDG_RUNTIME_DIR')}/docker.sock` : DEFAULT_UNIX_SOCKET;
  const flagHosts = commandLine.settings.get('hosts')?.value as string[] | undefined;
  const fileHosts = configFile?.state === 'read' && configFile.json.ok ? (configFile.json.settings.get('hosts')?.value as string[] | undefined) : undefined;
  const hosts = (flagHosts ?? fileHosts ?? ['']).map((h) => parseDaemonHost(h, defaultSocket));
  return { process, commandLine, configGiven, hosts, ...(configPath !== undefined ? { configPath } : {}), ...(configFile ? { configFile } : {}) };
}

/** A relative --config-file is relative to dockerd's working directory. */
function absolute(root: HostRoot, pid: number, path: string): string {
  if (path.startsWith('/')) return posix.normalize(path);
  let cwd = '/';
  try {
    // The link's target is the directory as the process names it: a host path.
    cwd = readlinkSync(posix.join(root.root, 'proc', String(pid), 'cwd'));
  } catch {
    // The process ended or hides it: its path is read from /.
  }
  return posix.resolve(cwd, path);
}

/** A rootless dockerd reads $XDG_CONFIG_HOME/docker/daemon.json, $HOME/.config/docker/daemon.json without it. */
function rootlessConfig(env: ReadonlyMap<string, string> | undefined): string | undefined {
  const base = env?.get('XDG_CONFIG_HOME') || (env?.get('HOME') ? `${env.get('HOME')}/.config` : undefined);
  return base ? `${base}/docker/daemon.json` : undefined;
}

export function readConfigFile(root: HostRoot, path: string): ConfigFileRead {
  let text: string | undefined;
  try {
    text = root.readText(path);
  } catch (e) {
    if (!(e instanceof HostReadError)) throw e;
    return { state: 'unreadable', why: e.message };
  }
  return text === undefined ? { state: 'missing' } : { state: 'read', json: parseDaemonJson(text, path) };
}

/** What the audit talks to, as a dockerd would be told to listen for it. */
export type Target =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'elsewhere' };

export function targetOf(endpoint: Endpoint | undefined): Target {
  if (!endpoint) return { kind: 'unix', path: DEFAULT_UNIX_SOCKET };
  if (endpoint.options.socketPath) return { kind: 'unix', path: endpoint.options.socketPath };
  if (endpoint.options.protocol === 'http' || endpoint.options.protocol === 'https') {
    return { kind: 'tcp', host: String(endpoint.options.host ?? ''), port: Number(endpoint.options.port) };
  }
  return { kind: 'elsewhere' };
}

/** True when the dockerd listens where the audit connects. */
export function serves(root: HostRoot, view: DockerdView, target: Target): boolean {
  return view.hosts.some((h) => {
    if (target.kind === 'unix') {
      if (h.kind === 'unix') return sameSocket(root, h.path, target.path);
      if (h.kind === 'fd') return sameSocket(root, SOCKET_ACTIVATION_PATH, target.path);
      return false;
    }
    if (target.kind === 'tcp' && h.kind === 'tcp') {
      const port = h.port ?? 2375;
      return port === target.port && (h.host === target.host || isLocal(target.host, h.host));
    }
    return false;
  });
}

/**
 * The same socket under two names: the same name (/var/run is /run), or the
 * same file, compared by device and inode, which also holds when the host's
 * socket is mounted into the container bulkhead runs in (--root).
 */
function sameSocket(root: HostRoot, hostPath: string, ourPath: string): boolean {
  if (samePathName(hostPath, ourPath)) return true;
  try {
    const ours = statSync(ourPath);
    const theirs = root.stat(hostPath);
    return theirs !== undefined && theirs.dev === ours.dev && theirs.ino === ours.ino;
  } catch {
    return false;
  }
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/;
const WILDCARD = new Set(['', '0.0.0.0', '::']);

/** The audit connects to `address` on this machine, where a dockerd listens on `listen`. */
function isLocal(address: string, listen: string): boolean {
  if (LOOPBACK.test(address)) return WILDCARD.has(listen) || LOOPBACK.test(listen);
  return WILDCARD.has(listen) && isThisMachine(address);
}

/** True when the address is this machine's: loopback, or one of its interfaces'. */
export function isThisMachine(address: string): boolean {
  return LOOPBACK.test(address) || Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === address));
}

/** For notes: where a dockerd listens. */
export function listensOn(view: DockerdView): string {
  return view.hosts.map((h) => (h.kind === 'unix' ? `unix://${h.path}` : h.raw || '(default)')).map((h) => quoted(h, false)).join(', ');
}
