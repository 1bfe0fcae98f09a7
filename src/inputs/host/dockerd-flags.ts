/**
 * dockerd's command-line flags (Docker 20.10 to 28, hidden and deprecated
 * ones included, so a command line that dockerd accepts is read the way
 * dockerd reads it), with the daemon.json key each one sets.
 *
 * What a flag takes decides how the words after it are read (pflag's rules):
 * - bool: `--icc` alone is true, `--icc=false` sets it; never a separate
 *   word (`--icc false` is `--icc` and a stray argument `false`);
 * - string, int: `--log-level=debug` or `--log-level debug`; the last one wins;
 * - list: repeatable, each use adds one value (`--insecure-registry a
 *   --insecure-registry b`); a comma is not a separator;
 * - map: repeatable `key=value` (`--log-opt max-size=10m`);
 * - any: repeatable; daemon.json holds something else than strings for it
 *   (objects for runtimes and address pools), so its value is not checked.
 * `action` flags (--help, --version, --validate) set nothing; --config-file
 * names the file the others are merged with.
 */
export type FlagKind = 'bool' | 'string' | 'int' | 'list' | 'map' | 'any' | 'action';

export interface FlagDef {
  /** The long name, without dashes. */
  readonly name: string;
  readonly kind: FlagKind;
  /** The daemon.json key it sets (the flag's name unless dockerd names the option otherwise). */
  readonly key: string;
  readonly short?: string;
}

/** [name, kind, daemon.json key when it differs, shorthand]. */
type Row = readonly [string, FlagKind, string?, string?];

const ROWS: readonly Row[] = [
  // booleans
  ['debug', 'bool', undefined, 'D'],
  ['tls', 'bool'],
  ['tlsverify', 'bool'],
  ['icc', 'bool'],
  ['iptables', 'bool'],
  ['ip6tables', 'bool'],
  ['ip-forward', 'bool'],
  ['ip-forward-no-drop', 'bool'],
  ['ip-masq', 'bool'],
  ['ipv6', 'bool'],
  ['allow-direct-routing', 'bool'],
  ['live-restore', 'bool'],
  ['no-new-privileges', 'bool'],
  ['experimental', 'bool'],
  ['userland-proxy', 'bool'],
  ['selinux-enabled', 'bool'],
  ['init', 'bool'],
  ['raw-logs', 'bool'],
  ['rootless', 'bool'],
  ['cri-containerd', 'bool'],
  ['disable-legacy-registry', 'bool'],
  // strings
  ['api-cors-header', 'string'],
  ['bip', 'string'],
  ['bip6', 'string'],
  ['bridge', 'string', undefined, 'b'],
  ['bridge-accept-fwmark', 'string'],
  ['cgroup-parent', 'string'],
  ['cluster-advertise', 'string'],
  ['cluster-store', 'string'],
  ['containerd', 'string'],
  ['containerd-namespace', 'string'],
  ['containerd-plugins-namespace', 'string'],
  ['data-root', 'string'],
  ['default-cgroupns-mode', 'string'],
  ['default-gateway', 'string'],
  ['default-gateway-v6', 'string'],
  ['default-ipc-mode', 'string'],
  ['default-runtime', 'string'],
  ['default-shm-size', 'string'],
  ['exec-root', 'string'],
  ['firewall-backend', 'string'],
  ['fixed-cidr', 'string'],
  ['fixed-cidr-v6', 'string'],
  ['graph', 'string', undefined, 'g'],
  ['group', 'string', undefined, 'G'],
  ['http-proxy', 'string'],
  ['https-proxy', 'string'],
  ['init-path', 'string'],
  ['ip', 'string'],
  ['log-driver', 'string'],
  ['log-format', 'string'],
  ['log-level', 'string', undefined, 'l'],
  ['metrics-addr', 'string'],
  ['no-proxy', 'string'],
  ['pidfile', 'string', undefined, 'p'],
  ['seccomp-profile', 'string'],
  ['storage-driver', 'string', undefined, 's'],
  ['swarm-default-advertise-addr', 'string'],
  ['tlscacert', 'string'],
  ['tlscert', 'string'],
  ['tlskey', 'string'],
  ['userland-proxy-path', 'string'],
  ['userns-remap', 'string'],
  // integers
  ['cpu-rt-period', 'int'],
  ['cpu-rt-runtime', 'int'],
  ['max-concurrent-downloads', 'int'],
  ['max-concurrent-uploads', 'int'],
  ['max-download-attempts', 'int'],
  ['mtu', 'int'],
  ['network-control-plane-mtu', 'int'],
  ['network-diagnostic-port', 'int'],
  ['oom-score-adjust', 'int'],
  ['shutdown-timeout', 'int'],
  // repeatable
  ['allow-nondistributable-artifacts', 'list'],
  ['authorization-plugin', 'list', 'authorization-plugins'],
  ['cdi-spec-dir', 'list', 'cdi-spec-dirs'],
  ['dns', 'list'],
  ['dns-opt', 'list', 'dns-opts'],
  ['dns-search', 'list'],
  ['exec-opt', 'list', 'exec-opts'],
  ['host', 'list', 'hosts', 'H'],
  ['insecure-registry', 'list', 'insecure-registries'],
  ['label', 'list', 'labels'],
  ['node-generic-resource', 'list', 'node-generic-resources'],
  ['registry-mirror', 'list', 'registry-mirrors'],
  ['storage-opt', 'list', 'storage-opts'],
  ['cluster-store-opt', 'map', 'cluster-store-opts'],
  ['default-network-opt', 'map', 'default-network-opts'],
  ['default-ulimit', 'map', 'default-ulimits'],
  ['feature', 'map', 'features'],
  ['log-opt', 'map', 'log-opts'],
  ['add-runtime', 'any', 'runtimes'],
  ['default-address-pool', 'any', 'default-address-pools'],
  // a string in 20.10, a list since 28: either is read
  ['host-gateway-ip', 'any'],
  // names daemon.json (read first, not a setting)
  ['config-file', 'string'],
  // set nothing

  ['help', 'action', undefined, 'h'],
  ['validate', 'action'],
  ['version', 'action', undefined, 'v'],
];

const defs: FlagDef[] = ROWS.map(([name, kind, key, short]) => ({ name, kind, key: key ?? name, ...(short ? { short } : {}) }));

/** The flag that names daemon.json. */
export const CONFIG_FILE = 'config-file';

/** Flags by long name. */
export const FLAGS: ReadonlyMap<string, FlagDef> = new Map(defs.map((d) => [d.name, d]));
/** Flags by one-letter shorthand. */
export const SHORT_FLAGS: ReadonlyMap<string, FlagDef> = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
/** Flags by the daemon.json key they set: what a key's value must be. */
export const FLAG_OF_KEY: ReadonlyMap<string, FlagDef> = new Map(defs.filter((d) => d.kind !== 'action' && d.name !== CONFIG_FILE).map((d) => [d.key, d]));
