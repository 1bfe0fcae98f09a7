import type { DaemonInfo } from '../../model/host.js';

/**
 * The daemon section's facts from the body of `GET /info`. The body is the
 * engine's word, not trusted to have any shape: a field of the wrong type is
 * left out, as if the engine had not said it.
 */
export function daemonInfo(info: Record<string, unknown>): DaemonInfo {
  const registry = object(info['RegistryConfig']);
  const plugins = object(info['Plugins']);
  const swarm = object(info['Swarm']);
  const out: { -readonly [K in keyof DaemonInfo]: DaemonInfo[K] } = { name: typeof info['Name'] === 'string' ? info['Name'] : '' };
  const set = <K extends keyof DaemonInfo>(key: K, value: DaemonInfo[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('serverVersion', string(info['ServerVersion']));
  set('securityOptions', strings(info['SecurityOptions']));
  set('driver', string(info['Driver']));
  set('loggingDriver', string(info['LoggingDriver']));
  set('liveRestoreEnabled', bool(info['LiveRestoreEnabled']));
  set('experimentalBuild', bool(info['ExperimentalBuild']));
  set('debug', bool(info['Debug']));
  // `null` when no authorization plugin is loaded.
  set('authorizationPlugins', plugins ? strings(plugins['Authorization']) : undefined);
  set('insecureRegistries', registry ? insecureRegistries(registry) : undefined);
  set('swarm', string(swarm?.['LocalNodeState']));
  return out;
}

/** RegistryConfig's insecure CIDRs, then the registries (IndexConfigs) it does not treat as Secure. */
function insecureRegistries(registry: Record<string, unknown>): string[] | undefined {
  const cidrs = strings(registry['InsecureRegistryCIDRs']);
  const indexes = object(registry['IndexConfigs']);
  if (cidrs === undefined && indexes === undefined) return undefined;
  const names = Object.entries(indexes ?? {})
    .filter(([, v]) => object(v)?.['Secure'] === false)
    .map(([name]) => name);
  return [...(cidrs ?? []), ...names];
}

function object(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function string(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** A list of strings; the engine writes `null` for an empty one. */
function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : v === null ? [] : undefined;
}
