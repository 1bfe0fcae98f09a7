/**
 * The Kubernetes adapter: the containers of Pods, Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs and
 * PodTemplates, alone or in a List, into the model. Paths are paths into the
 * document (`spec.template.spec.containers[0].securityContext.privileged`,
 * `items[3].spec.containers[0].image`), so findings land on the line that
 * says it. Pod-level settings the container inherits (securityContext
 * runAsUser/runAsGroup/runAsNonRoot/seccompProfile/seLinuxOptions/
 * appArmorProfile, hostNetwork/hostPID/hostIPC/hostUsers, pod resources)
 * carry origin 'inherited' and the pod-level path; the container's own
 * securityContext wins, field by field, as in the kubelet.
 */
import { posix } from 'node:path';
import type { Container, EnvVar, Healthcheck, Mount, PortBinding, Source } from '../../model/container.js';
import { child, type Segment } from '../../model/path.js';
import { absent, byDefault, explicit, type Known, type Value } from '../../model/value.js';
import { normalizeCap } from '../inspect/adapt.js';
import type { ScanResult } from '../scan-result.js';
import { EMPTY } from '../scan-result.js';
import type { YamlDocument } from '../yaml/documents.js';
import { cpuSharesOf, memoryBytes, milliCpus, nanoCpus } from './quantity.js';
import { isBatchKind, isList, isObject, itemKind, objectAt, podOf, stringAt, type Json } from './workloads.js';
import { IGNORE_ANNOTATION, IGNORE_REASON_ANNOTATION, ignoredRuleIds } from './ignore.js';

export { ignoredRuleIds } from './ignore.js';

/**
 * The user of a container that sets runAsNonRoot: true and no runAsUser: the
 * image's user, which the kubelet has checked is a numeric UID other than 0
 * (it refuses to start the container otherwise). Not a user name.
 */
export const NON_ROOT_USER = '(non-root)';

/** The profile Kubernetes applies when none is given, on nodes with AppArmor (the runtime's default). */
export const APPARMOR_RUNTIME_DEFAULT = 'runtime/default';

/** Any document with a string apiVersion and kind; kinds that hold no containers give no containers. */
export function isKubernetes(value: unknown): boolean {
  return isObject(value) && typeof value['apiVersion'] === 'string' && typeof value['kind'] === 'string';
}

/** The containers of one YAML document. Never throws: what it cannot understand counts as not written. */
export function scanKubernetes(doc: YamlDocument, file: string): ScanResult {
  const value = doc.value;
  if (!isObject(value) || typeof value['kind'] !== 'string') return EMPTY;
  const source: Source = { kind: 'kubernetes', file, locate: doc.locate };
  const containers: Container[] = [];
  if (isList(value)) {
    const listKind = value['kind'];
    (value['items'] as unknown[]).forEach((item, i) => {
      if (!isObject(item)) return;
      const kind = itemKind(item, listKind);
      if (kind) containers.push(...workloadContainers(item, kind, child('items', i), withIgnores(source, item, child('items', i), doc, file)));
    });
  } else {
    containers.push(...workloadContainers(value, value['kind'], '', withIgnores(source, value, '', doc, file)));
  }
  return containers.length ? { containers, builds: [] } : EMPTY;
}

/**
 * The workload's `bulkhead.io/ignore` annotation, as ignores of its
 * containers. Its reason is the `bulkhead.io/ignore-reason` annotation, when
 * written.
 */
function withIgnores(source: Source, workload: Json, base: string, doc: YamlDocument, file: string): Source {
  const ids = ignoredRuleIds(workload);
  if (ids.length === 0) return source;
  const annotations = objectAt(objectAt(workload, 'metadata'), 'annotations');
  const reason = typeof annotations?.[IGNORE_REASON_ANNOTATION] === 'string' ? (annotations[IGNORE_REASON_ANNOTATION] as string) : `${IGNORE_ANNOTATION} annotation`;
  const path = at(base, 'metadata', 'annotations', IGNORE_ANNOTATION);
  const loc = doc.locate([path]).get(path);
  return { ...source, ignores: [{ ids, reason, where: loc ? `${file}:${loc.line}:${loc.column}` : file }] };
}

/** `path` extended by segments; `path` itself when there are none. */
function at(path: string, ...segments: Segment[]): string {
  return segments.length ? child(path, ...segments) : path;
}

function inherited<T>(value: T, path: string): Known<T> {
  return { origin: 'inherited', value, path };
}

function known<T>(origin: Known<unknown>['origin'], value: T, path: string): Known<T> {
  return { origin, value, path };
}

/** What every container of one pod shares. */
interface Pod {
  readonly kind: string;
  readonly source: Source;
  /** `<ns>/<Kind>/<name>/`. */
  readonly subjectPrefix: string;
  readonly spec: Json;
  readonly specPath: string;
  readonly securityContext: Json | undefined;
  readonly securityContextPath: string;
  readonly annotations: Json | undefined;
  readonly annotationsPath: string;
  readonly volumes: ReadonlyMap<string, Json>;
}

type Role = 'app' | 'init' | 'sidecar' | 'ephemeral';

function workloadContainers(workload: Json, kind: string, base: string, source: Source): Container[] {
  const found = podOf(workload, kind);
  if (!found) return [];
  const spec = objectAt(found.pod, 'spec');
  if (!spec) return [];
  const podPath = at(base, ...found.at);
  const specPath = at(podPath, 'spec');
  const meta = objectAt(workload, 'metadata');
  const name = stringAt(meta, 'name') ?? stringAt(meta, 'generateName') ?? '(unnamed)';
  const namespace = stringAt(meta, 'namespace');
  const volumes = new Map<string, Json>();
  const rawVolumes = spec['volumes'];
  if (Array.isArray(rawVolumes)) {
    for (const v of rawVolumes) {
      const volumeName = isObject(v) ? stringAt(v, 'name') : undefined;
      if (volumeName && isObject(v) && !volumes.has(volumeName)) volumes.set(volumeName, v);
    }
  }
  const pod: Pod = {
    kind,
    source,
    subjectPrefix: `${namespace ? `${namespace}/` : ''}${kind}/${name}/`,
    spec,
    specPath,
    securityContext: objectAt(spec, 'securityContext'),
    securityContextPath: child(specPath, 'securityContext'),
    annotations: objectAt(objectAt(found.pod, 'metadata'), 'annotations'),
    annotationsPath: child(at(podPath, 'metadata'), 'annotations'),
    volumes,
  };
  const out: Container[] = [];
  for (const group of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const list = spec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isObject(c)) return;
      const role: Role =
        group === 'containers' ? 'app' : group === 'ephemeralContainers' ? 'ephemeral' : c['restartPolicy'] === 'Always' ? 'sidecar' : 'init';
      out.push(containerOf(pod, c, child(specPath, group, i), role, `${group}[${i}]`));
    });
  }
  return out;
}

function containerOf(pod: Pod, c: Json, path: string, role: Role, fallbackName: string): Container {
  const name = stringAt(c, 'name');
  const sc = objectAt(c, 'securityContext');
  const scPath = child(path, 'securityContext');
  const spec = pod.spec;

  /** A securityContext field the pod may set for all its containers: the container's, else the pod's. */
  const layered = <T>(key: string, read: (v: unknown) => T | undefined): Known<T> | undefined => {
    const own = read(sc?.[key]);
    if (own !== undefined) return explicit(own, child(scPath, key));
    const shared = read(pod.securityContext?.[key]);
    if (shared !== undefined) return inherited(shared, child(pod.securityContextPath, key));
    return undefined;
  };

  const privileged = sc?.['privileged'] === true || sc?.['privileged'] === false
    ? explicit(sc['privileged'] as boolean, child(scPath, 'privileged'))
    : byDefault(false, child(scPath, 'privileged'));
  const capabilities = objectAt(sc, 'capabilities');
  const capAdd = capsOf(capabilities, child(scPath, 'capabilities', 'add'), 'add');
  const capDrop = capsOf(capabilities, child(scPath, 'capabilities', 'drop'), 'drop');

  return {
    subject: { kind: 'container', name: pod.subjectPrefix + (name ?? fallbackName) },
    source: pod.source,
    image: stringAt(c, 'image') !== undefined ? explicit(c['image'] as string, child(path, 'image')) : byDefault('', child(path, 'image')),
    state: absent(child(path, 'state')),
    user: userOf(layered, scPath),
    privileged,
    capAdd,
    capDrop,
    apparmor: apparmorOf(pod, sc, scPath, name),
    seccomp: seccompOf(layered, scPath),
    selinux: selinuxOf(layered, scPath),
    noNewPrivileges: noNewPrivilegesOf(sc, scPath, privileged, capAdd),
    networkMode: hostNamespace(spec, pod.specPath, 'hostNetwork'),
    pidMode: hostNamespace(spec, pod.specPath, 'hostPID'),
    ipcMode: hostNamespace(spec, pod.specPath, 'hostIPC'),
    // A pod on the host's network is in the host's UTS namespace too (the runtime shares both).
    utsMode: hostNamespace(spec, pod.specPath, 'hostNetwork'),
    usernsMode: usernsOf(spec, pod.specPath),
    // A pod has one network interface from its CNI plugin; there are no named networks to attach to.
    networks: absent(child(path, 'networks')),
    mounts: mountsOf(pod, c, path),
    ...portsOf(c, path, role),
    // Device plugins and privileged mode are how pods reach devices; neither is a device list.
    devices: absent(child(path, 'devices')),
    ulimits: absent(child(path, 'ulimits')),
    ...resourcesOf(pod, c, path, role),
    // The kubelet's podPidsLimit applies node-wide; a pod cannot set it.
    pidsLimit: absent(child(path, 'resources', 'limits', 'pids')),
    readOnlyRootfs:
      typeof sc?.['readOnlyRootFilesystem'] === 'boolean'
        ? explicit(sc['readOnlyRootFilesystem'] as boolean, child(scPath, 'readOnlyRootFilesystem'))
        : byDefault(false, child(scPath, 'readOnlyRootFilesystem')),
    // Pods restart containers with a back-off; Deployments must use Always: Docker's bounded on-failure does not map.
    restartPolicy: absent(child(pod.specPath, 'restartPolicy')),
    cgroupParent: absent(child(path, 'cgroupParent')),
    healthcheck: healthcheckOf(c, path, role, isBatchKind(pod.kind)),
    health: absent(child(path, 'health')),
    env: envOf(c, path),
    entrypoint: commandOf(c, path, 'command'),
    cmd: commandOf(c, path, 'args'),
    processes: absent(child(path, 'processes')),
  };
}

type Layered = <T>(key: string, read: (v: unknown) => T | undefined) => Known<T> | undefined;

function uid(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** runAsUser[:runAsGroup]; runAsNonRoot alone is a non-root UID the kubelet enforces; nothing is the image's user. */
function userOf(layered: Layered, scPath: string): Value<string> {
  const user = layered('runAsUser', uid);
  const group = layered('runAsGroup', uid);
  if (user) return known(user.origin, group ? `${user.value}:${group.value}` : String(user.value), user.path);
  const nonRoot = layered('runAsNonRoot', bool);
  if (nonRoot?.value === true) return known(nonRoot.origin, NON_ROOT_USER, nonRoot.path);
  return byDefault('', child(scPath, 'runAsUser'));
}

function capsOf(capabilities: Json | undefined, path: string, key: 'add' | 'drop'): Value<readonly string[]> {
  const raw = capabilities?.[key];
  const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').map(normalizeCap) : [];
  return list.length ? explicit(list, path) : byDefault([], path);
}

/** An AppArmor profile object: RuntimeDefault, Localhost (the profile's name), Unconfined. */
function apparmorProfile(p: unknown): string | undefined {
  if (!isObject(p)) return undefined;
  switch (p['type']) {
    case 'RuntimeDefault':
      return APPARMOR_RUNTIME_DEFAULT;
    case 'Unconfined':
      return 'unconfined';
    case 'Localhost':
      return stringAt(p, 'localhostProfile') ?? 'localhost';
    default:
      return undefined;
  }
}

/** The annotation's spelling: runtime/default, localhost/<profile>, unconfined. */
function apparmorAnnotation(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (v === 'runtime/default' || v === 'unconfined') return v;
  if (v.startsWith('localhost/') && v.length > 'localhost/'.length) return v.slice('localhost/'.length);
  return undefined;
}

/** The kubelet's order: the container's field, the pod's per-container annotation, the pod's field. */
function apparmorOf(pod: Pod, sc: Json | undefined, scPath: string, name: string | undefined): Value<string> {
  const own = apparmorProfile(sc?.['appArmorProfile']);
  if (own !== undefined) return explicit(own, child(scPath, 'appArmorProfile', 'type'));
  if (name !== undefined) {
    const key = `container.apparmor.security.beta.kubernetes.io/${name}`;
    const annotated = apparmorAnnotation(pod.annotations?.[key]);
    if (annotated !== undefined) return explicit(annotated, child(pod.annotationsPath, key));
  }
  const shared = apparmorProfile(pod.securityContext?.['appArmorProfile']);
  if (shared !== undefined) return inherited(shared, child(pod.securityContextPath, 'appArmorProfile', 'type'));
  return byDefault(APPARMOR_RUNTIME_DEFAULT, child(scPath, 'appArmorProfile'));
}

function seccompType(p: unknown): 'default' | 'unconfined' | 'custom' | undefined {
  if (!isObject(p)) return undefined;
  switch (p['type']) {
    case 'RuntimeDefault':
      return 'default';
    case 'Unconfined':
      return 'unconfined';
    case 'Localhost':
      return 'custom';
    default:
      return undefined;
  }
}

/** Kubernetes runs containers Unconfined unless a seccompProfile says otherwise (kubelet --seccomp-default is opt-in). */
function seccompOf(layered: Layered, scPath: string): Value<'default' | 'unconfined' | 'custom'> {
  const found = layered('seccompProfile', seccompType);
  if (found) return known(found.origin, found.value, child(found.path, 'type'));
  return byDefault('unconfined', child(scPath, 'seccompProfile'));
}

/** seLinuxOptions as label options (`type:spc_t`, `level:s0:c123,c456`); the container's object replaces the pod's whole. */
function selinuxOf(layered: Layered, scPath: string): Value<readonly string[]> {
  const found = layered('seLinuxOptions', (v) => {
    if (!isObject(v)) return undefined;
    return (['user', 'role', 'type', 'level'] as const).flatMap((k) => (typeof v[k] === 'string' && v[k] !== '' ? [`${k}:${v[k] as string}`] : []));
  });
  if (!found) return byDefault([], child(scPath, 'seLinuxOptions'));
  const path = found.value.some((o) => o.startsWith('type:')) ? child(found.path, 'type') : found.path;
  return known(found.origin, found.value, path);
}

/**
 * allowPrivilegeEscalation: false is no_new_privs. Unset, escalation is
 * allowed. The API server refuses false together with privileged or
 * CAP_SYS_ADMIN, which always allow it: the finding then points at them.
 */
function noNewPrivilegesOf(sc: Json | undefined, scPath: string, privileged: Value<boolean>, capAdd: Value<readonly string[]>): Value<boolean> {
  const path = child(scPath, 'allowPrivilegeEscalation');
  const ape = sc?.['allowPrivilegeEscalation'];
  if (typeof ape !== 'boolean') return byDefault(false, path);
  if (ape) return explicit(false, path);
  if (privileged.origin !== 'absent' && privileged.value) return explicit(false, privileged.path);
  const sysAdmin = capAdd.origin === 'absent' ? -1 : capAdd.value.findIndex((cap) => cap === 'SYS_ADMIN' || cap === 'ALL');
  if (sysAdmin >= 0) return explicit(false, child(capAdd.path, sysAdmin));
  return explicit(true, path);
}

/** hostNetwork/hostPID/hostIPC: true is the host's namespace, for every container of the pod. */
function hostNamespace(spec: Json, specPath: string, key: 'hostNetwork' | 'hostPID' | 'hostIPC'): Value<string> {
  const v = spec[key];
  const path = child(specPath, key);
  return typeof v === 'boolean' ? inherited(v ? 'host' : '', path) : byDefault('', path);
}

/** hostUsers: false gives the pod its own user namespace; only a written value is mapped (unset is the host's namespace, as for any engine without userns-remap). */
function usernsOf(spec: Json, specPath: string): Value<string> {
  const v = spec['hostUsers'];
  const path = child(specPath, 'hostUsers');
  return typeof v === 'boolean' ? inherited(v ? 'host' : 'private', path) : byDefault('', path);
}

const PROPAGATION: Readonly<Record<string, string>> = { Bidirectional: 'rshared', HostToContainer: 'rslave', None: 'rprivate' };

/** volumeMounts joined to the pod's volumes: hostPath is a bind of the host path (with its subPath), emptyDir in memory is tmpfs. */
function mountsOf(pod: Pod, c: Json, path: string): Value<readonly Mount[]> {
  const raw = c['volumeMounts'];
  const listPath = child(path, 'volumeMounts');
  if (!Array.isArray(raw) || raw.length === 0) return byDefault([], listPath);
  const mounts: Mount[] = [];
  raw.forEach((m, i) => {
    if (!isObject(m)) return;
    const volumeName = stringAt(m, 'name') ?? '';
    const volume = pod.volumes.get(volumeName);
    const hostPath = objectAt(volume, 'hostPath');
    const subPath = stringAt(m, 'subPath');
    const common = {
      path: child(listPath, i),
      destination: stringAt(m, 'mountPath') ?? '',
      readOnly: m['readOnly'] === true,
      propagation: PROPAGATION[String(m['mountPropagation'])] ?? '',
    };
    if (hostPath) {
      const hostDir = stringAt(hostPath, 'path') ?? '';
      // subPathExpr ($(VAR)) cannot be expanded here: the mount is then counted as the whole host directory.
      const source = subPath && hostDir.startsWith('/') ? posix.join(hostDir, subPath) : hostDir;
      mounts.push({ ...common, type: 'bind', source });
    } else {
      const inMemory = objectAt(volume, 'emptyDir')?.['medium'] === 'Memory';
      mounts.push({ ...common, type: inMemory ? 'tmpfs' : 'volume', source: volumeName });
    }
  });
  return explicit(mounts, listPath);
}

/** ports[]: a binding on the node only where hostPort is written; every containerPort is exposed. Ephemeral containers cannot have ports. */
function portsOf(c: Json, path: string, role: Role): Pick<Container, 'ports' | 'exposedPorts'> {
  const listPath = child(path, 'ports');
  if (role === 'ephemeral') return { ports: absent(listPath), exposedPorts: absent(listPath) };
  const raw = c['ports'];
  const ports: PortBinding[] = [];
  const exposed: string[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((p, i) => {
      if (!isObject(p)) return;
      const containerPort = p['containerPort'];
      if (typeof containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort <= 0) return;
      const protocol = (stringAt(p, 'protocol') ?? 'TCP').toLowerCase();
      exposed.push(`${containerPort}/${protocol}`);
      const hostPort = p['hostPort'];
      if (typeof hostPort !== 'number' || !Number.isInteger(hostPort) || hostPort <= 0) return;
      ports.push({ path: child(listPath, i), containerPort, protocol, hostIp: stringAt(p, 'hostIP') ?? '', hostPort });
    });
  }
  return {
    ports: ports.length ? explicit(ports, listPath) : byDefault([], listPath),
    exposedPorts: exposed.length ? explicit(exposed, listPath) : byDefault([], listPath),
  };
}

/**
 * resources.limits.memory → bytes, limits.cpu → nanoCpus, requests.cpu →
 * the kubelet's cpu.shares. A container without its own falls back to
 * pod-level resources (spec.resources), which bound the whole pod.
 * Ephemeral containers cannot set resources.
 */
function resourcesOf(pod: Pod, c: Json, path: string, role: Role): Pick<Container, 'memory' | 'nanoCpus' | 'cpuShares' | 'cpuQuota'> {
  const own = objectAt(c, 'resources');
  const ownPath = child(path, 'resources');
  if (role === 'ephemeral') {
    return {
      memory: absent(child(ownPath, 'limits', 'memory')),
      nanoCpus: absent(child(ownPath, 'limits', 'cpu')),
      cpuShares: absent(child(ownPath, 'requests', 'cpu')),
      cpuQuota: absent(child(ownPath, 'limits', 'cpu')),
    };
  }
  const shared = objectAt(pod.spec, 'resources');
  const sharedPath = child(pod.specPath, 'resources');
  const pick = <T>(section: 'limits' | 'requests', key: string, read: (v: unknown) => T | undefined): Known<T> | undefined => {
    const mine = read(objectAt(own, section)?.[key]);
    if (mine !== undefined) return explicit(mine, child(ownPath, section, key));
    const theirs = read(objectAt(shared, section)?.[key]);
    if (theirs !== undefined) return inherited(theirs, child(sharedPath, section, key));
    return undefined;
  };
  const memory = pick('limits', 'memory', memoryBytes);
  const cpuLimit = pick('limits', 'cpu', nanoCpus);
  const request = pick('requests', 'cpu', milliCpus);
  const requestPath = child(ownPath, 'requests', 'cpu');
  // Unset requests default to the limits (API defaulting); with neither, nothing was said.
  const limitMilli = cpuLimit ? cpuLimit.value / 1e6 : undefined;
  const cpuShares = request
    ? known(request.origin, cpuSharesOf(request.value), request.path)
    : limitMilli !== undefined
      ? byDefault(cpuSharesOf(limitMilli), requestPath)
      : byDefault(0, requestPath);
  return {
    memory: memory ?? byDefault(0, child(ownPath, 'limits', 'memory')),
    nanoCpus: cpuLimit ?? byDefault(0, child(ownPath, 'limits', 'cpu')),
    cpuShares,
    // limits.cpu is the CFS quota; it is counted once, as nanoCpus.
    cpuQuota: byDefault(0, child(ownPath, 'limits', 'cpu')),
  };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

/**
 * Any probe is a health check: ['PROBE', 'livenessProbe', 'httpGet']. Init
 * containers (other than sidecars) and ephemeral containers cannot have
 * probes, and Jobs run to completion: for them the question does not arise.
 */
function healthcheckOf(c: Json, path: string, role: Role, batch: boolean): Value<Healthcheck | undefined> {
  if (role === 'init' || role === 'ephemeral' || batch) return absent(child(path, 'livenessProbe'));
  for (const key of PROBES) {
    const probe = c[key];
    if (!isObject(probe)) continue;
    const handler = HANDLERS.find((h) => isObject(probe[h]));
    return explicit({ test: handler ? ['PROBE', key, handler] : ['PROBE', key] }, child(path, key));
  }
  return byDefault(undefined, child(path, 'livenessProbe'));
}

function scalarText(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** env[]: value is plain text; valueFrom.secretKeyRef is a secret; other valueFrom (fieldRef, configMapKeyRef, …) is known only at run time. */
function envOf(c: Json, path: string): Value<readonly EnvVar[]> {
  const raw = c['env'];
  const listPath = child(path, 'env');
  if (!Array.isArray(raw) || raw.length === 0) return byDefault([], listPath);
  const env: EnvVar[] = [];
  raw.forEach((e, i) => {
    if (!isObject(e)) return;
    const name = stringAt(e, 'name');
    if (name === undefined) return;
    const from = objectAt(e, 'valueFrom');
    const entryPath = child(listPath, i);
    if (from) env.push({ path: entryPath, name, value: undefined, fromSecret: isObject(from['secretKeyRef']) });
    else env.push({ path: entryPath, name, value: scalarText(e['value']) ?? '', fromSecret: false });
  });
  return explicit(env, listPath);
}

/** command replaces the image's ENTRYPOINT, args its CMD. */
function commandOf(c: Json, path: string, key: 'command' | 'args'): Value<readonly string[]> {
  const raw = c[key];
  const list = Array.isArray(raw) ? raw.flatMap((x) => scalarText(x) ?? []) : [];
  return list.length ? explicit(list, child(path, key)) : byDefault([], child(path, key));
}
