import type { Container, ContainerState, Device, EnvVar, Mount, MountType, PortBinding, Process, Source, Ulimit } from '../../model/container.js';
import { child } from '../../model/path.js';
import { absent, byDefault, explicit, type Value } from '../../model/value.js';

/**
 * The adapter from one `docker inspect` document (GET /containers/{id}/json)
 * to the model. Both the live audit and the offline `--inspect` audit use it,
 * so they cannot disagree. Paths are relative to the document.
 */
export class InspectShapeError extends Error {}

type Json = Record<string, unknown>;

export function containerFromInspect(doc: unknown, source: Source, processes?: readonly Process[]): Container {
  if (!isObject(doc)) throw new InspectShapeError('expected a container object');
  const id = doc['Id'];
  if (typeof id !== 'string' || id === '') throw new InspectShapeError("not a container: no 'Id'");
  const config = objectAt(doc, 'Config');
  const host = objectAt(doc, 'HostConfig');
  if (!config || !host) throw new InspectShapeError("not a container: no 'Config' or 'HostConfig' (is this image or network output?)");
  const state = objectAt(doc, 'State');
  const name = typeof doc['Name'] === 'string' ? (doc['Name'] as string).replace(/^\//, '') : id.slice(0, 12);
  const securityOpt = stringArray(host['SecurityOpt']);

  return {
    subject: { kind: 'container', name, id },
    source,
    image: str(config, 'Config', 'Image'),
    state: state && typeof state['Status'] === 'string' ? explicit(state['Status'] as ContainerState, 'State.Status') : absent('State.Status'),
    user: str(config, 'Config', 'User'),
    privileged: bool(host, 'HostConfig', 'Privileged'),
    capAdd: caps(host, 'CapAdd'),
    capDrop: caps(host, 'CapDrop'),
    apparmor: apparmorOf(doc, securityOpt),
    seccomp: seccompOf(securityOpt),
    selinux: selinuxOf(securityOpt),
    noNewPrivileges: noNewPrivilegesOf(securityOpt),
    networkMode: str(host, 'HostConfig', 'NetworkMode'),
    pidMode: str(host, 'HostConfig', 'PidMode'),
    ipcMode: str(host, 'HostConfig', 'IpcMode'),
    utsMode: str(host, 'HostConfig', 'UTSMode'),
    usernsMode: str(host, 'HostConfig', 'UsernsMode'),
    networks: networksOf(doc, state?.['Running'] === true),
    mounts: mountsOf(doc),
    ports: portsOf(host, config),
    exposedPorts: isObject(config['ExposedPorts'])
      ? explicit(Object.keys(config['ExposedPorts'] as Json), 'Config.ExposedPorts')
      : byDefault([], 'Config.ExposedPorts'),
    devices: devicesOf(host),
    ulimits: ulimitsOf(host),
    memory: num(host, 'HostConfig', 'Memory'),
    cpuShares: num(host, 'HostConfig', 'CpuShares'),
    nanoCpus: num(host, 'HostConfig', 'NanoCpus'),
    cpuQuota: num(host, 'HostConfig', 'CpuQuota'),
    pidsLimit: pidsLimitOf(host),
    readOnlyRootfs: bool(host, 'HostConfig', 'ReadonlyRootfs'),
    restartPolicy: restartPolicyOf(host),
    cgroupParent: str(host, 'HostConfig', 'CgroupParent'),
    healthcheck: healthcheckOf(config),
    health: healthOf(state),
    env: envOf(config),
    entrypoint: commandOf(config, 'Entrypoint'),
    cmd: commandOf(config, 'Cmd'),
    processes: processes ? explicit(processes, 'processes') : absent('processes'),
  };
}

/**
 * The facts of a `Config` object that an image sets for its containers
 * (GET /images/{id}/json has the same Config as a container): for the
 * images section, which judges them with the runtime rules.
 */
export function configFacts(config: Json): Pick<Container, 'user' | 'exposedPorts' | 'healthcheck' | 'env' | 'entrypoint' | 'cmd'> {
  return {
    user: str(config, 'Config', 'User'),
    exposedPorts: isObject(config['ExposedPorts'])
      ? explicit(Object.keys(config['ExposedPorts'] as Json), 'Config.ExposedPorts')
      : byDefault([], 'Config.ExposedPorts'),
    healthcheck: healthcheckOf(config),
    env: envOf(config),
    entrypoint: commandOf(config, 'Entrypoint'),
    cmd: commandOf(config, 'Cmd'),
  };
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectAt(o: Json, key: string): Json | undefined {
  const v = o[key];
  return isObject(v) ? v : undefined;
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * The path of a field the adapter always reads (`HostConfig.Privileged`):
 * made once, so every container's fact carries the same string, whose hash
 * the maps that place findings then compute once, not per container.
 */
const fieldPaths = new Map<string, Map<string, string>>();

function fieldPath(prefix: string, key: string): string {
  let byKey = fieldPaths.get(prefix);
  if (!byKey) fieldPaths.set(prefix, (byKey = new Map()));
  let path = byKey.get(key);
  if (path === undefined) byKey.set(key, (path = child(prefix, key)));
  return path;
}

/** Engines write zero values for settings nobody made; those are the engine's defaults. */
function str(o: Json, prefix: string, key: string): Value<string> {
  const v = o[key];
  const path = fieldPath(prefix, key);
  if (typeof v !== 'string' || v === '') return byDefault('', path);
  return explicit(v, path);
}

function bool(o: Json, prefix: string, key: string): Value<boolean> {
  const v = o[key];
  const path = fieldPath(prefix, key);
  return v === true ? explicit(true, path) : byDefault(false, path);
}

function num(o: Json, prefix: string, key: string): Value<number> {
  const v = o[key];
  const path = fieldPath(prefix, key);
  return typeof v === 'number' && v !== 0 ? explicit(v, path) : byDefault(0, path);
}

/** Upper case, without CAP_: the engine accepts and stores both spellings. */
export function normalizeCap(name: string): string {
  const up = name.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

function caps(host: Json, key: 'CapAdd' | 'CapDrop'): Value<readonly string[]> {
  const list = stringArray(host[key]);
  const path = fieldPath('HostConfig', key);
  return list.length ? explicit(list.map(normalizeCap), path) : byDefault([], path);
}

/** Splits `key=value` or the legacy `key:value` security options. */
function optionsNamed(securityOpt: readonly string[], key: string): { value: string; index: number }[] {
  const out: { value: string; index: number }[] = [];
  securityOpt.forEach((opt, index) => {
    const m = /^([a-z-]+)[=:](.*)$/s.exec(opt);
    if (m && m[1] === key) out.push({ value: m[2]!, index });
    else if (opt === key) out.push({ value: '', index });
  });
  return out;
}

function apparmorOf(doc: Json, securityOpt: readonly string[]): Value<string> {
  const opt = optionsNamed(securityOpt, 'apparmor').at(-1);
  if (opt) return explicit(opt.value, `HostConfig.SecurityOpt[${opt.index}]`);
  const applied = doc['AppArmorProfile'];
  // The engine records the profile it applied; '' when the host has no AppArmor.
  return typeof applied === 'string' ? byDefault(applied, 'AppArmorProfile') : absent('AppArmorProfile');
}

function seccompOf(securityOpt: readonly string[]): Value<'default' | 'unconfined' | 'custom'> {
  const opt = optionsNamed(securityOpt, 'seccomp').at(-1);
  if (!opt) return byDefault('default', 'HostConfig.SecurityOpt');
  const path = `HostConfig.SecurityOpt[${opt.index}]`;
  // The CLI sends a profile file's contents inline; only the words below are not profiles.
  if (opt.value === 'unconfined') return explicit('unconfined', path);
  if (opt.value === 'builtin' || opt.value === 'default' || opt.value === '') return explicit('default', path);
  return explicit('custom', path);
}

function selinuxOf(securityOpt: readonly string[]): Value<readonly string[]> {
  const opts = optionsNamed(securityOpt, 'label');
  if (!opts.length) return byDefault([], 'HostConfig.SecurityOpt');
  return explicit(
    opts.map((o) => o.value),
    `HostConfig.SecurityOpt[${opts[0]!.index}]`,
  );
}

function noNewPrivilegesOf(securityOpt: readonly string[]): Value<boolean> {
  const opt = optionsNamed(securityOpt, 'no-new-privileges').at(-1);
  if (!opt) return byDefault(false, 'HostConfig.SecurityOpt');
  return explicit(opt.value === '' || opt.value === 'true', `HostConfig.SecurityOpt[${opt.index}]`);
}

/**
 * A running container is attached to a network only when the engine gave it
 * an endpoint: on an engine started with --bridge=none, containers in the
 * default mode still list `bridge`, with an empty NetworkID. A container not
 * running has no endpoints yet; its list is where it will attach.
 */
function networksOf(doc: Json, running: boolean): Value<readonly string[]> {
  const nets = objectAt(doc, 'NetworkSettings');
  const byName = nets && objectAt(nets, 'Networks');
  if (!byName) return absent('NetworkSettings.Networks');
  const names = Object.entries(byName)
    .filter(([, n]) => !running || (isObject(n) && typeof n['NetworkID'] === 'string' && n['NetworkID'] !== ''))
    .map(([name]) => name);
  return explicit(names, 'NetworkSettings.Networks');
}

const MOUNT_TYPES: readonly MountType[] = ['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image'];

function mountsOf(doc: Json): Value<readonly Mount[]> {
  const raw = doc['Mounts'];
  if (!Array.isArray(raw)) return byDefault([], 'Mounts');
  const mounts: Mount[] = [];
  raw.forEach((m, i) => {
    if (!isObject(m)) return;
    const type = String(m['Type'] ?? '');
    mounts.push({
      path: `Mounts[${i}]`,
      type: (MOUNT_TYPES as readonly string[]).includes(type) ? (type as MountType) : 'unknown',
      source: String(m['Source'] ?? ''),
      destination: String(m['Destination'] ?? ''),
      readOnly: m['RW'] === false,
      propagation: String(m['Propagation'] ?? ''),
    });
  });
  return explicit(mounts, 'Mounts');
}

function portsOf(host: Json, config: Json): Value<readonly PortBinding[]> {
  const bindings = objectAt(host, 'PortBindings') ?? {};
  const ports: PortBinding[] = [];
  // `docker run -P` publishes every exposed port on every interface, at ports the engine picks.
  if (host['PublishAllPorts'] === true) {
    for (const key of Object.keys(objectAt(config, 'ExposedPorts') ?? {})) {
      if (Array.isArray(bindings[key]) && (bindings[key] as unknown[]).length > 0) continue;
      const [port, protocol = 'tcp'] = key.split('/');
      ports.push({ path: 'HostConfig.PublishAllPorts', containerPort: Number.parseInt(port ?? '', 10), protocol, hostIp: '', hostPort: undefined });
    }
  }
  for (const [key, list] of Object.entries(bindings)) {
    const [port, protocol = 'tcp'] = key.split('/');
    if (!Array.isArray(list)) continue;
    list.forEach((b, i) => {
      if (!isObject(b)) return;
      const hostPort = Number.parseInt(String(b['HostPort'] ?? ''), 10);
      ports.push({
        path: child('HostConfig', 'PortBindings', key, i),
        containerPort: Number.parseInt(port ?? '', 10),
        protocol,
        hostIp: String(b['HostIp'] ?? ''),
        hostPort: Number.isFinite(hostPort) && hostPort > 0 ? hostPort : undefined,
      });
    });
  }
  return ports.length ? explicit(ports, 'HostConfig.PortBindings') : byDefault([], 'HostConfig.PortBindings');
}

function devicesOf(host: Json): Value<readonly Device[]> {
  const raw = host['Devices'];
  if (!Array.isArray(raw) || raw.length === 0) return byDefault([], 'HostConfig.Devices');
  const devices: Device[] = [];
  raw.forEach((d, i) => {
    if (!isObject(d)) return;
    devices.push({
      path: `HostConfig.Devices[${i}]`,
      pathOnHost: String(d['PathOnHost'] ?? ''),
      pathInContainer: String(d['PathInContainer'] ?? ''),
      permissions: String(d['CgroupPermissions'] ?? ''),
    });
  });
  return explicit(devices, 'HostConfig.Devices');
}

function ulimitsOf(host: Json): Value<readonly Ulimit[]> {
  const raw = host['Ulimits'];
  if (!Array.isArray(raw) || raw.length === 0) return byDefault([], 'HostConfig.Ulimits');
  const ulimits: Ulimit[] = [];
  raw.forEach((u, i) => {
    if (!isObject(u)) return;
    ulimits.push({ path: `HostConfig.Ulimits[${i}]`, name: String(u['Name'] ?? ''), soft: Number(u['Soft']), hard: Number(u['Hard']) });
  });
  return explicit(ulimits, 'HostConfig.Ulimits');
}

function pidsLimitOf(host: Json): Value<number> {
  const v = host['PidsLimit'];
  // null, 0 and -1 all mean unlimited in the Engine API.
  return typeof v === 'number' && v > 0 ? explicit(v, 'HostConfig.PidsLimit') : byDefault(0, 'HostConfig.PidsLimit');
}

function restartPolicyOf(host: Json): Value<{ name: string; maximumRetryCount: number }> {
  const rp = objectAt(host, 'RestartPolicy');
  const name = rp && typeof rp['Name'] === 'string' ? (rp['Name'] as string) : '';
  const maximumRetryCount = rp && typeof rp['MaximumRetryCount'] === 'number' ? (rp['MaximumRetryCount'] as number) : 0;
  const value = { name, maximumRetryCount };
  return name === '' || name === 'no' ? byDefault(value, 'HostConfig.RestartPolicy') : explicit(value, 'HostConfig.RestartPolicy');
}

function healthcheckOf(config: Json): Value<{ test: readonly string[] } | undefined> {
  const hc = objectAt(config, 'Healthcheck');
  const test = hc ? stringArray(hc['Test']) : [];
  if (test.length === 0) return byDefault(undefined, 'Config.Healthcheck');
  return explicit({ test }, 'Config.Healthcheck');
}

function healthOf(state: Json | undefined): Value<string> {
  const health = state && objectAt(state, 'Health');
  const status = health?.['Status'];
  return typeof status === 'string' ? explicit(status, 'State.Health.Status') : byDefault('', 'State.Health.Status');
}

function envOf(config: Json): Value<readonly EnvVar[]> {
  const raw = config['Env'];
  if (!Array.isArray(raw) || raw.length === 0) return byDefault([], 'Config.Env');
  const env: EnvVar[] = [];
  raw.forEach((entry, i) => {
    if (typeof entry !== 'string') return;
    const eq = entry.indexOf('=');
    env.push({
      path: `Config.Env[${i}]`,
      name: eq < 0 ? entry : entry.slice(0, eq),
      value: eq < 0 ? undefined : entry.slice(eq + 1),
      fromSecret: false,
    });
  });
  return explicit(env, 'Config.Env');
}

function commandOf(config: Json, key: 'Entrypoint' | 'Cmd'): Value<readonly string[]> {
  const list = stringArray(config[key]);
  const path = fieldPath('Config', key);
  return list.length ? explicit(list, path) : byDefault([], path);
}
