import type { Stats } from 'node:fs';
import type { DaemonConfig, Host, HostFile, Setting } from '../../model/host.js';
import type { FileRole } from '../../model/file-roles.js';
import { HostReadError, type HostRoot } from '../../linux/host-root.js';
import { idNames } from '../../linux/id-names.js';
import { findUnit, listenStreamPaths, type UnitFiles } from '../../linux/systemd-units.js';
import type { HostInputs } from './collect.js';

/** dockerd's unix socket when no -H / `hosts` says otherwise. */
const DEFAULT_SOCKET = '/var/run/docker.sock';
const DEFAULT_CONFIG = '/etc/docker/daemon.json';
const CERTS_D = '/etc/docker/certs.d';

/** A path the benchmark asks about, and where it was configured when it was. */
interface Wanted {
  readonly path: string;
  readonly role: FileRole;
  readonly from?: string;
}

/**
 * Section files (CIS 3.1–3.24): the owner, group and mode of each daemon file
 * that exists on the host, read under its root. Paths the daemon configures
 * (TLS files, sockets, daemon.json) come from the daemon section's settings
 * when it ran before; without them, the defaults. Owner and group names are
 * the host's (its /etc/passwd and /etc/group), never this machine's.
 */
export async function collectFiles(inputs: HostInputs, host: Host, note: (message: string) => void = () => undefined): Promise<HostFile[]> {
  const root = inputs.root;
  const users = idNames(root.readText('/etc/passwd'));
  const groups = idNames(root.readText('/etc/group'));
  const socketUnit = findUnit(root, 'docker.socket');
  const wanted: Wanted[] = [
    ...unitFiles(findUnit(root, 'docker.service'), 'docker.service', 'docker.service drop-in'),
    ...unitFiles(socketUnit, 'docker.socket', 'docker.socket drop-in'),
    { path: '/etc/docker', role: '/etc/docker' },
    ...registryCertificates(root),
    ...tlsFiles(host.daemon),
    ...dockerSockets(root, host.daemon, socketUnit),
    daemonJson(host.daemon),
    { path: '/etc/default/docker', role: '/etc/default/docker' },
    { path: '/etc/sysconfig/docker', role: '/etc/sysconfig/docker' },
    { path: '/run/containerd/containerd.sock', role: 'containerd socket' },
  ];

  const files: HostFile[] = [];
  const seen = new Set<string>(); // one file reached by two paths (/var/run/docker.sock, /run/docker.sock) is one subject
  for (const { path, role, from } of wanted) {
    let st: Stats | undefined;
    try {
      st = root.stat(path);
    } catch (e) {
      // One file out of reach (a folder whose mode denies even root without DAC_OVERRIDE) leaves the others to check.
      if (!(e instanceof HostReadError)) throw e;
      note(`files section: could not read ${e.message}; its owner and mode were not checked`);
      continue;
    }
    if (!st) continue; // a file the host does not have is not a finding
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const owner = users.get(st.uid);
    const group = groups.get(st.gid);
    files.push({
      path,
      role,
      type: typeOf(st),
      uid: st.uid,
      gid: st.gid,
      ...(owner === undefined ? {} : { owner }),
      ...(group === undefined ? {} : { group }),
      mode: st.mode & 0o7777,
      ...(from === undefined ? {} : { from }),
    });
  }
  return files;
}

function unitFiles(unit: UnitFiles | undefined, role: FileRole, dropInRole: FileRole): Wanted[] {
  return unit ? [{ path: unit.path, role }, ...unit.dropIns.map((path) => ({ path, role: dropInRole }))] : [];
}

/**
 * The files dockerd reads from certs.d: in each registry's folder, CA
 * certificates (*.crt), client certificates (*.cert) and their keys (*.key).
 * It reads nothing else there, and the folders themselves are not
 * certificates (docker-bench holds them to 444 too, and warns on every 755).
 */
function registryCertificates(root: HostRoot): Wanted[] {
  const out: Wanted[] = [];
  for (const registry of (root.list(CERTS_D) ?? []).sort()) {
    const folder = `${CERTS_D}/${registry}`;
    if (!root.stat(folder)?.isDirectory()) continue;
    for (const name of (root.list(folder) ?? []).sort()) {
      const path = `${folder}/${name}`;
      if (/\.(crt|cert|key)$/.test(name) && root.stat(path)?.isFile()) out.push({ path, role: 'registry certificate' });
    }
  }
  return out;
}

/**
 * The TLS files the daemon reads: its certificate and key when TLS is on
 * (`tls`, or `tlsverify` given at all: dockerd then turns TLS on whatever its
 * value), and the CA only when it verifies clients (`tlsverify` true). A path
 * left to dockerd's default ($DOCKER_CERT_PATH or ~/.docker of the daemon's
 * environment) is not known here, so not checked.
 */
function tlsFiles(daemon: DaemonConfig | undefined): Wanted[] {
  if (!daemon) return [];
  const settings = daemon.settings;
  const verify = settings.get('tlsverify');
  if (settings.get('tls')?.value !== true && verify === undefined) return [];
  const out: Wanted[] = [];
  const add = (key: string, role: FileRole) => {
    const setting = settings.get(key);
    if (setting && typeof setting.value === 'string' && setting.value !== '') out.push({ path: setting.value, role, from: sourceOf(setting, daemon) });
  };
  if (verify?.value === true) add('tlscacert', 'TLS CA certificate');
  add('tlscert', 'TLS server certificate');
  add('tlskey', 'TLS server key');
  return out;
}

/**
 * The unix sockets the daemon listens on: the `unix://` addresses of its
 * `hosts` (-H), the sockets systemd hands it for `fd://` (docker.socket's
 * ListenStream paths), and the default socket when `hosts` is not given
 * (or is empty: dockerd then listens there). Only TCP addresses: no socket.
 */
function dockerSockets(root: HostRoot, daemon: DaemonConfig | undefined, socketUnit: UnitFiles | undefined): Wanted[] {
  const role: FileRole = 'Docker socket';
  const hosts = daemon?.settings.get('hosts');
  const addresses: unknown[] = typeof hosts?.value === 'string' ? [hosts.value] : Array.isArray(hosts?.value) ? hosts.value : [];
  if (!daemon || !hosts || addresses.length === 0) return [{ path: DEFAULT_SOCKET, role }];
  const from = sourceOf(hosts, daemon);
  const out: Wanted[] = [];
  for (const address of addresses) {
    if (typeof address !== 'string') continue;
    if (address === '' || address === 'unix://') out.push({ path: DEFAULT_SOCKET, role, from });
    else if (address.startsWith('unix://')) out.push({ path: address.slice('unix://'.length), role, from });
    else if (address.startsWith('fd://')) {
      const listened = socketUnit ? listenStreamPaths(root, socketUnit) : [];
      // Without a docker.socket that says where, the socket it ships with: /run/docker.sock, which /var/run links to.
      out.push(...(listened.length ? listened.map((l) => ({ path: l.path, role, from: l.from })) : [{ path: DEFAULT_SOCKET, role, from }]));
    }
  }
  return out;
}

function daemonJson(daemon: DaemonConfig | undefined): Wanted {
  const path = daemon?.configFile.path ?? DEFAULT_CONFIG;
  return path === DEFAULT_CONFIG ? { path, role: 'daemon.json' } : { path, role: 'daemon.json', from: 'dockerd --config-file' };
}

/** Where a setting was made: `dockerd --tlskey` for a flag, the daemon.json line and key for the file. */
function sourceOf(setting: Setting, daemon: DaemonConfig): string {
  if (setting.from === 'flag') return setting.path;
  const where = setting.loc ? `${setting.loc.file}:${setting.loc.line}` : daemon.configFile.path;
  return `${where} ${setting.path}`;
}

function typeOf(st: Stats): HostFile['type'] {
  return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSocket() ? 'socket' : 'other';
}
