import { absent, type Absent, type At, type Loc, type Value } from './value.js';
import type { Subject } from './subject.js';

/** The kinds of input that describe containers; `image` is an image's own configuration (`docker image inspect`), what its containers start from. */
export type SourceKind = 'engine' | 'inspect' | 'compose' | 'kubernetes' | 'ecs' | 'dockerfile' | 'image';

/** Which adapter produced a container, and how to place its facts in a file. */
export interface Source {
  readonly kind: SourceKind;
  /** The input file, for inputs that are files. */
  readonly file?: string;
  /**
   * Places logical paths of this container in its file, when the input is a
   * file: all of a container's paths at once, so a locator can read the file
   * once and keep nothing afterwards. Paths it cannot place are left out.
   */
  readonly locate?: (paths: readonly string[]) => ReadonlyMap<string, Loc>;
  /** Ignores written in the input itself for this container (a Kubernetes `bulkhead.io/ignore` annotation). */
  readonly ignores?: readonly SourceIgnore[];
}

export interface SourceIgnore {
  /** Rule ids, names or peer ids. */
  readonly ids: readonly string[];
  readonly reason: string;
  /** Where it is written: file:line:column. */
  readonly where: string;
}

export type MountType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image' | 'unknown';

export interface Mount extends At {
  readonly type: MountType;
  /** Host path for binds, volume name for volumes. */
  readonly source: string;
  readonly destination: string;
  readonly readOnly: boolean;
  /** '' when unset; rprivate, private, rshared, shared, rslave, slave. */
  readonly propagation: string;
}

export interface PortBinding extends At {
  readonly containerPort: number;
  readonly protocol: string;
  /** '' means every interface, like 0.0.0.0. */
  readonly hostIp: string;
  /** undefined when the engine picks an ephemeral port. */
  readonly hostPort: number | undefined;
}

export interface Device extends At {
  readonly pathOnHost: string;
  readonly pathInContainer: string;
  readonly permissions: string;
}

export interface Ulimit extends At {
  readonly name: string;
  readonly soft: number;
  readonly hard: number;
}

export interface Healthcheck {
  /** e.g. ["CMD-SHELL", "curl -f http://localhost/"]; ["NONE"] disables an inherited check. */
  readonly test: readonly string[];
}

export interface EnvVar extends At {
  readonly name: string;
  /** The value as written; undefined when it comes from a secret store or the environment at run time. */
  readonly value: string | undefined;
  /** True when the value is a reference to a secret store (ECS `secrets`, Kubernetes secretKeyRef), not plain text. */
  readonly fromSecret: boolean;
}

export interface Process {
  readonly pid: number;
  readonly command: string;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface RestartPolicy {
  /** '', no, always, unless-stopped, on-failure */
  readonly name: string;
  readonly maximumRetryCount: number;
}

/**
 * The one model of a container's runtime configuration. Every adapter fills it;
 * every runtime rule reads it. Capability names are upper case without `CAP_`.
 */
export interface Container {
  /** A container, or for a Dockerfile the image it builds. */
  readonly subject: Subject;
  readonly source: Source;
  readonly image: Value<string>;
  readonly state: Value<ContainerState>;
  /** User as given (`name`, `uid`, `uid:gid`); '' means the image's default, root unless the image says otherwise. */
  readonly user: Value<string>;
  readonly privileged: Value<boolean>;
  readonly capAdd: Value<readonly string[]>;
  readonly capDrop: Value<readonly string[]>;
  /** The AppArmor profile applied: '' none, 'unconfined', or a profile name. */
  readonly apparmor: Value<string>;
  /** 'default' (the engine's profile), 'unconfined', or 'custom'. */
  readonly seccomp: Value<'default' | 'unconfined' | 'custom'>;
  /** SELinux label options (`label=...` security options), e.g. ['disable'] or ['type:svirt_apache_t']. */
  readonly selinux: Value<readonly string[]>;
  readonly noNewPrivileges: Value<boolean>;
  /** Namespace modes as the engine spells them: '' or private, 'host', 'container:ID', a network name. */
  readonly networkMode: Value<string>;
  readonly pidMode: Value<string>;
  readonly ipcMode: Value<string>;
  readonly utsMode: Value<string>;
  readonly usernsMode: Value<string>;
  /** Networks the container is attached to (names). */
  readonly networks: Value<readonly string[]>;
  readonly mounts: Value<readonly Mount[]>;
  readonly ports: Value<readonly PortBinding[]>;
  /** Ports the container exposes, e.g. '80/tcp'. */
  readonly exposedPorts: Value<readonly string[]>;
  readonly devices: Value<readonly Device[]>;
  readonly ulimits: Value<readonly Ulimit[]>;
  /** Bytes; 0 means unlimited. */
  readonly memory: Value<number>;
  /** Relative CPU weight; 0 means the default (1024). */
  readonly cpuShares: Value<number>;
  /** CPU quota in units of 1e-9 CPUs; 0 means unlimited. */
  readonly nanoCpus: Value<number>;
  /** CFS quota in microseconds per period; 0 or -1 means unlimited. */
  readonly cpuQuota: Value<number>;
  /** Max processes; 0, -1 or null in the API all mean unlimited, normalised here to 0. */
  readonly pidsLimit: Value<number>;
  readonly readOnlyRootfs: Value<boolean>;
  readonly restartPolicy: Value<RestartPolicy>;
  readonly cgroupParent: Value<string>;
  /** The effective health check (the image's, unless the container overrides it); undefined when none. */
  readonly healthcheck: Value<Healthcheck | undefined>;
  /** Health status: starting, healthy, unhealthy; '' when the container has no health check or is not running. */
  readonly health: Value<string>;
  /** Environment variables (plain values are visible to anyone who can inspect the container). */
  readonly env: Value<readonly EnvVar[]>;
  /** ENTRYPOINT and CMD as the engine will run them (exec form; shell form is ['/bin/sh', '-c', ...]). */
  readonly entrypoint: Value<readonly string[]>;
  readonly cmd: Value<readonly string[]>;
  /** The container's processes, when the audit could see them. */
  readonly processes: Value<readonly Process[]>;
}

/** Facts only `docker run` (or the engine) decides: what an image or a Dockerfile cannot say. */
const RUN_TIME_ONLY = [
  'state', 'privileged', 'capAdd', 'capDrop', 'apparmor', 'seccomp', 'selinux', 'noNewPrivileges',
  'networkMode', 'pidMode', 'ipcMode', 'utsMode', 'usernsMode', 'networks', 'mounts', 'ports', 'devices',
  'ulimits', 'memory', 'cpuShares', 'nanoCpus', 'cpuQuota', 'pidsLimit', 'readOnlyRootfs', 'restartPolicy',
  'cgroupParent', 'health', 'processes',
] as const satisfies readonly (keyof Container)[];

/** Those facts, all absent, for a container read from an image or a Dockerfile (each at its own name as path). */
export function unknownUntilRun(): Record<(typeof RUN_TIME_ONLY)[number], Absent> {
  return Object.fromEntries(RUN_TIME_ONLY.map((k) => [k, absent(k)])) as Record<(typeof RUN_TIME_ONLY)[number], Absent>;
}
