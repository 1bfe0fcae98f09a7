import type { Container, Device, EnvVar, Healthcheck, Mount, MountType, PortBinding, RestartPolicy, Source, Ulimit } from '../../model/container.js';
import { child } from '../../model/path.js';
import { absent, byDefault, explicit, type Known, type Value } from '../../model/value.js';
import { CAPABILITIES } from '../../linux/capabilities.js';
import { normalizeCap } from '../inspect/adapt.js';
import { Form, isObject, type Got, type Json } from './read.js';

/**
 * The adapter from one ECS task definition to the model: one Container per
 * container definition. Paths are the document's own (`containerDefinitions[1].privileged`,
 * `taskDefinition.networkMode`, `Resources.Api.Properties.ContainerDefinitions[0].Privileged`).
 *
 * Task-level settings (networkMode, pidMode, ipcMode, cpu, memory) apply to
 * every container: origin 'inherited', at the task-level key. What a task
 * definition leaves out gets the value the ECS agent and Docker then use,
 * origin 'default', at the path where it would be written.
 */
export interface TaskInput {
  /** The task definition; undefined for a bare list of container definitions (Terraform's `container_definitions`), whose task-level settings are elsewhere. */
  readonly task: Json | undefined;
  /** Path of the task object: '', 'taskDefinition', 'Resources.Api.Properties'. */
  readonly root: string;
  /** The container definitions and their path. */
  readonly definitions: readonly unknown[];
  readonly definitionsPath: string;
  readonly form: Form;
  /** The first part of each subject name: the family, or the CloudFormation logical id. */
  readonly name: string | undefined;
}

interface Volume {
  readonly type: MountType;
  readonly source: string;
}

/** What the task says once for all its containers. */
interface TaskFacts {
  readonly networkMode: Value<string>;
  readonly pidMode: Value<string>;
  readonly ipcMode: Value<string>;
  /** MiB / CPU units, with the task-level path; absent when the task is not in the document. */
  readonly memory: { got: Got<number>; path: string } | undefined;
  readonly cpu: { got: Got<number>; path: string } | undefined;
  /** By name; undefined when the list cannot be known. */
  readonly volumes: ReadonlyMap<string, Volume> | undefined;
}

const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none', 'nat', 'default'];
const PID_MODES = ['host', 'task'];
const IPC_MODES = ['host', 'task', 'none'];
const MIB = 1024 * 1024;
const KNOWN_CAPS: ReadonlySet<string> = new Set(CAPABILITIES);
const SECURITY_OPTION = /^(no-new-privileges|apparmor|label|credentialspec|seccomp)([:=]|$)/;
/** Expanding a port range beyond this many ports says nothing more. */
const MAX_RANGE = 1024;

function inherited<T>(value: T, path: string): Known<T> {
  return { origin: 'inherited', value, path };
}

export function containersOfTask(input: TaskInput, source: Source): Container[] {
  const { form } = input;
  const facts = taskFacts(input);
  const defs = input.definitions.map((def, i) => ({ def, path: child(input.definitionsPath, i) }));
  // By name, for volumesFrom.
  const byName = new Map<string, { def: Json; path: string }>();
  for (const d of defs) {
    if (!isObject(d.def)) continue;
    const name = form.str(d.def, 'name');
    if (name.state === 'ok' && !byName.has(name.value)) byName.set(name.value, { def: d.def, path: d.path });
  }
  const containers: Container[] = [];
  for (const d of defs) {
    if (!isObject(d.def)) continue;
    containers.push(containerOf(input, facts, d.def, d.path, byName, source));
  }
  return containers;
}

function taskFacts(input: TaskInput): TaskFacts {
  const { form, task, root } = input;
  if (!task) {
    const unknown = absent(root);
    return { networkMode: unknown, pidMode: unknown, ipcMode: unknown, memory: undefined, cpu: undefined, volumes: undefined };
  }
  const networkMode = mode(form, task, root, 'networkMode', NETWORK_MODES, (path) => {
    // EC2 (and ECS Anywhere) default to Docker's bridge; Fargate accepts only awsvpc.
    const compat = form.strings(task, 'requiresCompatibilities');
    if (compat.state === 'unknown' || (compat.state === 'ok' && compat.value.partial)) return absent(path);
    const fargate = compat.state === 'ok' && compat.value.items.some((c) => c.value.toUpperCase() === 'FARGATE');
    return byDefault(fargate ? 'awsvpc' : 'bridge', path);
  });
  // Without pidMode/ipcMode each container gets Docker's private namespaces.
  const pidMode = mode(form, task, root, 'pidMode', PID_MODES, (path) => byDefault('', path));
  const ipcMode = mode(form, task, root, 'ipcMode', IPC_MODES, (path) => byDefault('', path));
  return {
    networkMode,
    pidMode,
    ipcMode,
    memory: { got: taskSize(form, form.get(task, 'memory'), /^(\d+(?:\.\d+)?)\s*(gb)?$/i), path: child(root, form.key('memory')) },
    cpu: { got: taskSize(form, form.get(task, 'cpu'), /^(\d+(?:\.\d+)?)\s*(vcpu)?$/i), path: child(root, form.key('cpu')) },
    volumes: volumesOf(form, task),
  };
}

/** A task-level mode: inherited when written, the fallback when not; an intrinsic or (in a template) a value ECS does not know cannot be known. */
function mode(form: Form, task: Json, root: string, name: string, allowed: readonly string[], fallback: (path: string) => Value<string>): Value<string> {
  const path = child(root, form.key(name));
  const g = form.str(task, name);
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'ok') {
    const v = g.value.trim().toLowerCase();
    if (allowed.includes(v)) return inherited(v, path);
    if (form.cfn) return absent(path);
  }
  return fallback(path);
}

/** Task cpu and memory: a number of units (MiB), or a string with `vCPU` (`GB`), which ECS converts ×1024. */
function taskSize(form: Form, g: Got<unknown>, re: RegExp): Got<number> {
  if (g.state !== 'ok') return g;
  const v = g.value;
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? { state: 'ok', value: v } : form.bad;
  if (typeof v !== 'string') return form.bad;
  const m = re.exec(v.trim());
  if (!m) return form.bad;
  const n = Number(m[1]) * (m[2] ? 1024 : 1);
  return n > 0 ? { state: 'ok', value: n } : form.bad;
}

function volumesOf(form: Form, task: Json): Map<string, Volume> | undefined {
  const g = form.list(task, 'volumes');
  if (g.state === 'unknown') return undefined;
  const volumes = new Map<string, Volume>();
  if (g.state === 'missing') return volumes;
  for (const v of g.value) {
    const entry = form.classify(v);
    // A volume we cannot read may be any volume: the list is no longer known (in a template, a
    // non-object is what `!If [Cond, [...], ...]` leaves when the loader drops the tag).
    if (entry.state === 'unknown' || (form.cfn && entry.state === 'ok' && !isObject(v))) return undefined;
    if (!isObject(v)) continue;
    const name = form.str(v, 'name');
    if (name.state === 'unknown') return undefined;
    if (name.state !== 'ok' || volumes.has(name.value)) continue;
    volumes.set(name.value, volumeOf(form, v, name.value));
  }
  return volumes;
}

/** `host.sourcePath` makes a bind mount; `host: {}`, docker, EFS, FSx and EBS volumes are volumes the agent or Docker manages. */
function volumeOf(form: Form, v: Json, name: string): Volume {
  const host = form.get(v, 'host');
  if (host.state === 'unknown') return { type: 'unknown', source: name };
  if (host.state === 'ok' && isObject(host.value)) {
    const sp = form.str(host.value, 'sourcePath', { path: true });
    if (sp.state === 'ok' && sp.value !== '') return { type: 'bind', source: sp.value };
    // A host path decided at deploy time: a bind mount of a directory nobody can name here.
    if (sp.state === 'unknown') return { type: 'bind', source: '' };
  }
  return { type: 'volume', source: name };
}

function containerOf(
  input: TaskInput,
  task: TaskFacts,
  def: Json,
  path: string,
  byName: ReadonlyMap<string, { def: Json; path: string }>,
  source: Source,
): Container {
  const { form } = input;
  const at = (...keys: string[]) => child(path, ...keys.map((k) => form.key(k)));
  const name = form.str(def, 'name');
  const containerName = name.state === 'ok' && name.value !== '' ? name.value : path;
  const lp = form.object(def, 'linuxParameters');
  const security = securityOptions(form, def, at('dockerSecurityOptions'));
  const network = task.networkMode;

  return {
    subject: { kind: 'container', name: input.name ? `${input.name}/${containerName}` : containerName },
    source,
    image: textValue(form.str(def, 'image', { identifier: true }), at('image'), () => absent(at('image'))),
    state: absent(path),
    user: textValue(form.str(def, 'user', { identifier: true }), at('user'), (p) => byDefault('', p)),
    privileged: flag(form.bool(def, 'privileged'), at('privileged')),
    capAdd: capabilities(form, lp, at('linuxParameters', 'capabilities', 'add'), 'add'),
    capDrop: capabilities(form, lp, at('linuxParameters', 'capabilities', 'drop'), 'drop'),
    apparmor: security.apparmor,
    seccomp: security.seccomp,
    selinux: security.selinux,
    noNewPrivileges: security.noNewPrivileges,
    networkMode: network,
    pidMode: task.pidMode,
    ipcMode: task.ipcMode,
    // ECS has no UTS or user-namespace setting: Docker's private defaults apply.
    utsMode: byDefault('', path),
    usernsMode: byDefault('', path),
    networks: networksOf(network),
    mounts: mountsOf(form, def, path, at, task.volumes, byName, lp),
    ports: portsOf(form, def, at('portMappings'), network),
    exposedPorts: exposedOf(form, def, at('portMappings')),
    devices: devicesOf(form, lp, at('linuxParameters', 'devices')),
    ulimits: ulimitsOf(form, def, at('ulimits')),
    memory: memoryOf(form, def, at('memory'), task.memory),
    cpuShares: cpuSharesOf(form, def, at('cpu')),
    nanoCpus: nanoCpusOf(at('cpu'), task.cpu),
    // No per-container CFS quota in ECS; the task-level cpu is nanoCpus.
    cpuQuota: byDefault(0, at('cpu')),
    // ECS cannot set a PIDs limit or a cgroup parent (the agent picks /ecs/<task>).
    pidsLimit: absent(path),
    readOnlyRootfs: flag(form.bool(def, 'readonlyRootFilesystem'), at('readonlyRootFilesystem')),
    // The agent restarts containers itself (restartPolicy); it never sets a Docker restart policy.
    restartPolicy: byDefault<RestartPolicy>({ name: '', maximumRetryCount: 0 }, at('restartPolicy')),
    cgroupParent: absent(path),
    healthcheck: healthcheckOf(form, def, at('healthCheck')),
    health: absent(path),
    env: envOf(form, def, at('environment'), at('secrets')),
    entrypoint: commandOf(form, def, 'entryPoint', at('entryPoint')),
    cmd: commandOf(form, def, 'command', at('command')),
    processes: absent(path),
  };
}

function textValue(g: Got<string>, path: string, missing: (path: string) => Value<string>): Value<string> {
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'ok' && g.value !== '') return explicit(g.value, path);
  return missing(path);
}

function flag(g: Got<boolean>, path: string): Value<boolean> {
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'ok') return explicit(g.value, path);
  return byDefault(false, path);
}

function capabilities(form: Form, lp: Got<Json>, path: string, which: 'add' | 'drop'): Value<readonly string[]> {
  if (lp.state === 'unknown') return absent(path);
  if (lp.state === 'missing') return byDefault([], path);
  const caps = form.object(lp.value, 'capabilities');
  if (caps.state === 'unknown') return absent(path);
  if (caps.state === 'missing') return byDefault([], path);
  const list = form.strings(caps.value, which);
  if (list.state === 'unknown') return absent(path);
  if (list.state === 'missing') return byDefault([], path);
  // ECS accepts only capability names (and ALL); anything else in a template is an intrinsic whose tag was dropped.
  const names = list.value.items.map((c) => normalizeCap(c.value));
  const valid = names.filter((n) => n === 'ALL' || KNOWN_CAPS.has(n));
  const partial = list.value.partial || (form.cfn && valid.length < names.length);
  if (valid.length === 0) return partial ? absent(path) : byDefault([], path);
  return explicit(valid, path);
}

interface Security {
  readonly apparmor: Value<string>;
  readonly seccomp: Value<'default' | 'unconfined' | 'custom'>;
  readonly selinux: Value<readonly string[]>;
  readonly noNewPrivileges: Value<boolean>;
}

/**
 * dockerSecurityOptions are Docker's SecurityOpt, in the forms ECS accepts:
 * `no-new-privileges`, `apparmor:PROFILE`, `label:VALUE` and
 * `credentialspec:PATH` (Docker's `key=value` spelling is read too).
 */
function securityOptions(form: Form, def: Json, path: string): Security {
  // ECS does not pass seccomp options on (aws/amazon-ecs-agent#896, aws/containers-roadmap#356): Docker's default profile always applies.
  const seccomp = byDefault<'default' | 'unconfined' | 'custom'>('default', path);
  const g = form.strings(def, 'dockerSecurityOptions');
  if (g.state === 'unknown') return { apparmor: absent(path), seccomp, selinux: absent(path), noNewPrivileges: absent(path) };
  const items = g.state === 'ok' ? g.value.items : [];
  // An option we cannot read may be the one that sets a fact: then the fact is unknown, not the default.
  // In a template, a string that is no security option is an intrinsic whose tag was dropped (`!Ref SecOpt` → "SecOpt").
  const partial = g.state === 'ok' && (g.value.partial || (form.cfn && items.some((i) => !SECURITY_OPTION.test(i.value.trim()))));
  const named = (key: string) =>
    items.flatMap(({ value, index }) => {
      const m = /^([a-z-]+)[=:](.*)$/s.exec(value.trim());
      if (m && m[1] === key) return [{ value: m[2]!, path: child(path, index) }];
      if (value.trim() === key) return [{ value: '', path: child(path, index) }];
      return [];
    });
  const orDefault = <T>(value: T): Value<T> => (partial ? absent(path) : byDefault(value, path));

  const apparmorOpt = named('apparmor').at(-1);
  // Without an option the profile depends on the instance (docker-default on Ubuntu, none on Amazon Linux).
  const apparmor: Value<string> = apparmorOpt ? explicit(apparmorOpt.value, apparmorOpt.path) : absent(path);

  const labels = named('label');
  const selinux: Value<readonly string[]> = labels.length
    ? explicit(
        labels.map((l) => l.value),
        labels[0]!.path,
      )
    : orDefault<readonly string[]>([]);

  const nnp = named('no-new-privileges').at(-1);
  const noNewPrivileges: Value<boolean> = nnp ? explicit(nnp.value === '' || nnp.value === 'true', nnp.path) : orDefault(false);

  return { apparmor, seccomp, selinux, noNewPrivileges };
}

/** The networks a container joins: Docker's default bridge, the host's, none; an awsvpc task has its own interface and no Docker network. */
function networksOf(mode: Value<string>): Value<readonly string[]> {
  if (mode.origin === 'absent') return mode;
  const names = mode.value === 'bridge' ? ['bridge'] : mode.value === 'host' ? ['host'] : mode.value === 'none' ? ['none'] : mode.value === 'nat' ? ['nat'] : [];
  return { ...mode, value: names };
}

function mountsOf(
  form: Form,
  def: Json,
  path: string,
  at: (...keys: string[]) => string,
  volumes: ReadonlyMap<string, Volume> | undefined,
  byName: ReadonlyMap<string, { def: Json; path: string }>,
  lp: Got<Json>,
): Value<readonly Mount[]> {
  const own = mountPointsOf(form, def, path, volumes);
  if (own === undefined) return absent(at('mountPoints'));
  const mounts: Mount[] = [...own];
  // volumesFrom: every mount of the named container (and what it takes from others), read-only when asked.
  const from = form.list(def, 'volumesFrom');
  if (from.state === 'unknown') return absent(at('volumesFrom'));
  if (from.state === 'ok') {
    from.value.forEach((vf, k) => {
      if (!isObject(vf)) return;
      const name = form.str(vf, 'sourceContainer');
      if (name.state !== 'ok') return;
      const readOnly = form.bool(vf, 'readOnly');
      const vfPath = at('volumesFrom');
      for (const m of inheritedMounts(form, name.value, byName, volumes, new Set([path]))) {
        mounts.push({ ...m, path: child(vfPath, k), readOnly: m.readOnly || (readOnly.state === 'ok' && readOnly.value) });
      }
    });
  }
  if (lp.state === 'ok') {
    const tmpfs = form.list(lp.value, 'tmpfs');
    if (tmpfs.state === 'ok') {
      tmpfs.value.forEach((t, k) => {
        if (!isObject(t)) return;
        const dest = form.str(t, 'containerPath', { path: true });
        if (dest.state === 'missing') return;
        const opts = form.strings(t, 'mountOptions');
        const readOnly = opts.state === 'ok' && opts.value.items.some((o) => o.value === 'ro');
        mounts.push({
          path: child(at('linuxParameters', 'tmpfs'), k),
          type: 'tmpfs',
          source: '',
          destination: dest.state === 'ok' ? dest.value : '',
          readOnly,
          propagation: '',
        });
      });
    }
  }
  return mounts.length ? explicit(mounts, at('mountPoints')) : byDefault([], at('mountPoints'));
}

/** A container's mountPoints joined to the task's volumes; undefined when the list cannot be known. */
function mountPointsOf(form: Form, def: Json, path: string, volumes: ReadonlyMap<string, Volume> | undefined): Mount[] | undefined {
  const listPath = child(path, form.key('mountPoints'));
  const g = form.list(def, 'mountPoints');
  if (g.state === 'unknown') return undefined;
  if (g.state === 'missing') return [];
  const mounts: Mount[] = [];
  g.value.forEach((mp, k) => {
    if (!isObject(mp)) return;
    const src = form.str(mp, 'sourceVolume');
    const dest = form.str(mp, 'containerPath', { path: true });
    if (src.state === 'missing' || dest.state === 'missing') return;
    // Volumes written elsewhere (a bare list of container definitions) or by name unknown here: a mount of unknown kind.
    let volume: Volume | undefined;
    if (src.state === 'unknown' || volumes === undefined) volume = { type: 'unknown', source: src.state === 'ok' ? src.value : '' };
    else volume = volumes.get(src.value);
    // ECS refuses a mount point whose volume the task does not define.
    if (!volume) return;
    const readOnly = form.bool(mp, 'readOnly');
    mounts.push({
      path: child(listPath, k),
      type: volume.type,
      source: volume.source,
      destination: dest.state === 'ok' ? dest.value : '',
      readOnly: readOnly.state === 'ok' && readOnly.value,
      propagation: '',
    });
  });
  return mounts;
}

function inheritedMounts(
  form: Form,
  name: string,
  byName: ReadonlyMap<string, { def: Json; path: string }>,
  volumes: ReadonlyMap<string, Volume> | undefined,
  seen: Set<string>,
): Mount[] {
  const source = byName.get(name);
  if (!source || seen.has(source.path)) return [];
  seen.add(source.path);
  const mounts = [...(mountPointsOf(form, source.def, source.path, volumes) ?? [])];
  const from = form.list(source.def, 'volumesFrom');
  if (from.state === 'ok') {
    for (const vf of from.value) {
      if (!isObject(vf)) continue;
      const next = form.str(vf, 'sourceContainer');
      if (next.state !== 'ok') continue;
      const readOnly = form.bool(vf, 'readOnly');
      for (const m of inheritedMounts(form, next.value, byName, volumes, seen))
        mounts.push({ ...m, readOnly: m.readOnly || (readOnly.state === 'ok' && readOnly.value) });
    }
  }
  return mounts;
}

interface Mapping {
  readonly path: string;
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostPort: number | undefined;
}

/** Each portMappings entry as container port(s), protocol and written host port; undefined when the list cannot be known. */
function mappingsOf(form: Form, def: Json, path: string): Mapping[] | undefined {
  const g = form.list(def, 'portMappings');
  if (g.state === 'unknown') return undefined;
  if (g.state === 'missing') return [];
  const out: Mapping[] = [];
  g.value.forEach((pm, k) => {
    if (!isObject(pm)) return;
    const at = child(path, k);
    const proto = form.str(pm, 'protocol');
    const protocol = proto.state === 'ok' && proto.value.trim() !== '' ? proto.value.trim().toLowerCase() : 'tcp';
    const host = form.num(pm, 'hostPort');
    const hostPort = host.state === 'ok' && Number.isInteger(host.value) && host.value > 0 && host.value < 65536 ? host.value : undefined;
    const port = form.num(pm, 'containerPort');
    if (port.state === 'ok' && validPort(port.value)) {
      out.push({ path: at, containerPort: port.value, protocol, hostPort });
      return;
    }
    const range = form.str(pm, 'containerPortRange');
    const m = range.state === 'ok' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(range.value) : null;
    if (!m) return;
    const [lo, hi] = [Number(m[1]), Number(m[2])];
    if (!validPort(lo) || !validPort(hi) || hi < lo) return;
    // A range's host ports are always picked by ECS.
    for (let p = lo; p <= Math.min(hi, lo + MAX_RANGE - 1); p++) out.push({ path: at, containerPort: p, protocol, hostPort: undefined });
  });
  return out;
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n < 65536;
}

/**
 * Host bindings by network mode: in bridge mode a written hostPort, else one
 * the engine picks; in host mode the container port is the host's port; an
 * awsvpc task listens on its own network interface, so nothing is published
 * on the instance (its ports are exposed, like a pod's containerPorts).
 */
function portsOf(form: Form, def: Json, path: string, mode: Value<string>): Value<readonly PortBinding[]> {
  if (mode.origin === 'absent') return absent(path);
  const mappings = mappingsOf(form, def, path);
  if (mappings === undefined) return absent(path);
  if (mode.value !== 'bridge' && mode.value !== 'host' && mode.value !== 'nat' && mode.value !== 'default') return byDefault([], path);
  const host = mode.value === 'host';
  const ports: PortBinding[] = mappings.map((m) => ({
    path: m.path,
    containerPort: m.containerPort,
    protocol: m.protocol,
    hostIp: '',
    hostPort: host ? m.containerPort : m.hostPort,
  }));
  return ports.length ? explicit(ports, path) : byDefault([], path);
}

function exposedOf(form: Form, def: Json, path: string): Value<readonly string[]> {
  const mappings = mappingsOf(form, def, path);
  if (mappings === undefined) return absent(path);
  const ports = [...new Set(mappings.map((m) => `${m.containerPort}/${m.protocol}`))];
  return ports.length ? explicit(ports, path) : byDefault([], path);
}

const DEVICE_PERMISSIONS: Readonly<Record<string, string>> = { read: 'r', write: 'w', mknod: 'm' };

function devicesOf(form: Form, lp: Got<Json>, path: string): Value<readonly Device[]> {
  if (lp.state === 'unknown') return absent(path);
  if (lp.state === 'missing') return byDefault([], path);
  const g = form.list(lp.value, 'devices');
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'missing') return byDefault([], path);
  const devices: Device[] = [];
  g.value.forEach((d, k) => {
    if (!isObject(d)) return;
    const host = form.str(d, 'hostPath', { path: true });
    if (host.state === 'missing') return;
    const inner = form.str(d, 'containerPath', { path: true });
    const perms = form.strings(d, 'permissions');
    // Docker's default cgroup permissions are rwm.
    const permissions =
      perms.state === 'ok' && perms.value.items.length
        ? ['read', 'write', 'mknod'].filter((p) => perms.value.items.some((i) => i.value.toLowerCase() === p)).map((p) => DEVICE_PERMISSIONS[p]).join('')
        : 'rwm';
    const pathOnHost = host.state === 'ok' ? host.value : '';
    devices.push({
      path: child(path, k),
      pathOnHost,
      pathInContainer: inner.state === 'ok' ? inner.value : inner.state === 'missing' ? pathOnHost : '',
      permissions,
    });
  });
  return devices.length ? explicit(devices, path) : byDefault([], path);
}

function ulimitsOf(form: Form, def: Json, path: string): Value<readonly Ulimit[]> {
  const g = form.list(def, 'ulimits');
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'missing') return byDefault([], path);
  const ulimits: Ulimit[] = [];
  g.value.forEach((u, k) => {
    if (!isObject(u)) return;
    const name = form.str(u, 'name');
    if (name.state !== 'ok') return;
    const soft = form.num(u, 'softLimit');
    const hard = form.num(u, 'hardLimit');
    ulimits.push({
      path: child(path, k),
      name: name.value,
      soft: soft.state === 'ok' ? soft.value : Number.NaN,
      hard: hard.state === 'ok' ? hard.value : Number.NaN,
    });
  });
  return ulimits.length ? explicit(ulimits, path) : byDefault([], path);
}

/** Container `memory` is the hard limit (MiB); without it the task's memory bounds every container; memoryReservation is only a soft reservation. */
function memoryOf(form: Form, def: Json, path: string, task: TaskFacts['memory']): Value<number> {
  const g = form.num(def, 'memory');
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'ok' && g.value > 0) return explicit(Math.round(g.value * MIB), path);
  if (!task || task.got.state === 'unknown') return absent(path);
  if (task.got.state === 'ok') return inherited(Math.round(task.got.value * MIB), task.path);
  return byDefault(0, path);
}

/** Container `cpu` units are Docker's CPU shares (1024 = one vCPU's weight); 0 means none given. */
function cpuSharesOf(form: Form, def: Json, path: string): Value<number> {
  const g = form.num(def, 'cpu');
  if (g.state === 'unknown') return absent(path);
  if (g.state === 'ok' && g.value > 0) return explicit(Math.round(g.value), path);
  return byDefault(0, path);
}

/** Task-level cpu is a hard limit on the whole task: 1024 units = one CPU. */
function nanoCpusOf(path: string, task: TaskFacts['cpu']): Value<number> {
  if (!task || task.got.state === 'unknown') return absent(path);
  if (task.got.state === 'ok') return inherited(Math.round((task.got.value / 1024) * 1e9), task.path);
  return byDefault(0, path);
}

/** ECS runs only the health check in the container definition; one baked into the image is not monitored. */
function healthcheckOf(form: Form, def: Json, path: string): Value<Healthcheck | undefined> {
  const hc = form.object(def, 'healthCheck');
  if (hc.state === 'unknown') return absent(path);
  if (hc.state === 'missing') return byDefault(undefined, path);
  const cmd = form.strings(hc.value, 'command');
  if (cmd.state === 'unknown' || (cmd.state === 'ok' && cmd.value.partial)) return absent(path);
  if (cmd.state === 'ok' && cmd.value.items.length) return explicit({ test: cmd.value.items.map((i) => i.value) }, path);
  return byDefault(undefined, path);
}

/** `environment` is plain text in the task definition; `secrets` are references to Secrets Manager or Parameter Store. */
function envOf(form: Form, def: Json, envPath: string, secretsPath: string): Value<readonly EnvVar[]> {
  const env = form.list(def, 'environment');
  const secrets = form.list(def, 'secrets');
  if (env.state === 'unknown') return absent(envPath);
  if (secrets.state === 'unknown') return absent(secretsPath);
  const vars: EnvVar[] = [];
  if (env.state === 'ok') {
    env.value.forEach((e, k) => {
      if (!isObject(e)) return;
      const name = form.str(e, 'name');
      if (name.state !== 'ok' || name.value === '') return;
      const value = form.get(e, 'value');
      const text = value.state === 'ok' && ['string', 'number', 'boolean'].includes(typeof value.value) ? String(value.value) : undefined;
      vars.push({ path: child(envPath, k), name: name.value, value: text, fromSecret: false });
    });
  }
  if (secrets.state === 'ok') {
    secrets.value.forEach((s, k) => {
      if (!isObject(s)) return;
      const name = form.str(s, 'name');
      if (name.state !== 'ok' || name.value === '') return;
      vars.push({ path: child(secretsPath, k), name: name.value, value: undefined, fromSecret: true });
    });
  }
  if (!vars.length) return byDefault([], envPath);
  return explicit(vars, vars.some((v) => !v.fromSecret) ? envPath : secretsPath);
}

/** entryPoint and command are exec form; without them the image's apply. */
function commandOf(form: Form, def: Json, key: 'entryPoint' | 'command', path: string): Value<readonly string[]> {
  const g = form.strings(def, key);
  if (g.state === 'unknown' || (g.state === 'ok' && g.value.partial)) return absent(path);
  if (g.state === 'ok' && g.value.items.length) return explicit(g.value.items.map((i) => i.value), path);
  return byDefault([], path);
}
