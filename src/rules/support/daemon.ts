/**
 * For the daemon rules (CIS 2.x): a setting's value in effect and the words
 * that say where it came from: the dockerd command line, daemon.json (with its
 * position), dockerd's default, or the running engine's `GET /info`.
 */
import type { DaemonConfig, Setting } from '../../model/host.js';
import type { At } from '../../model/value.js';
import type { Subject } from '../../model/subject.js';
import type { Workload } from '../../model/workload.js';

/** A value in effect, where to report it, and where it came from in words. */
export interface Effective<T> {
  readonly value: T;
  readonly at: At;
  /** e.g. `--icc=true on the command line of dockerd (PID 812)`, `"icc": true in /etc/docker/daemon.json:2:3`, `dockerd's default`. */
  readonly source: string;
}

/** The daemon section's facts, when it ran. */
export function daemonConfig(workload: Workload): DaemonConfig | undefined {
  return workload.host?.daemon;
}

export function daemonSubject(daemon: DaemonConfig): Subject {
  return { kind: 'daemon', name: daemon.name };
}

/** A setting that was given (flag or daemon.json), read as T; undefined when not given. */
export function given<T>(daemon: DaemonConfig, key: string, read: (v: unknown) => T | undefined): Effective<T> | undefined {
  const s = daemon.settings.get(key);
  if (!s) return undefined;
  const value = read(s.value);
  return value === undefined ? undefined : { value, at: atOf(s), source: sourceOf(daemon, key, s) };
}

/**
 * The value in effect: the given one, else dockerd's default when the
 * command line and daemon.json are both known; undefined when it cannot be
 * known (then no rule may judge it).
 */
export function effective<T>(daemon: DaemonConfig, key: string, fallback: T, read: (v: unknown) => T | undefined): Effective<T> | undefined {
  const s = given(daemon, key, read);
  if (s) return s;
  if (!daemon.complete) return undefined;
  return { value: fallback, at: { path: key }, source: defaultSource(daemon, key) };
}

/** A fact of `GET /info`; `at` is its field. */
export function fromInfo<T>(value: T | undefined, field: string): Effective<T> | undefined {
  return value === undefined ? undefined : { value, at: { path: field }, source: `GET /info ${field}` };
}

/** Words for "nobody set it". */
export function defaultSource(daemon: DaemonConfig, key: string): string {
  const file = daemon.configFile.exists ? daemon.configFile.path : `${daemon.configFile.path}, which does not exist`;
  return `dockerd's default: ${key} is set neither on the command line of dockerd${daemon.process ? ` (PID ${daemon.process.pid})` : ''} nor in ${file}`;
}

function sourceOf(daemon: DaemonConfig, key: string, s: Setting): string {
  if (s.from === 'flag') return `${s.args.join(' ')} on the command line of dockerd${daemon.process ? ` (PID ${daemon.process.pid})` : ''}`;
  return `"${key}": ${short(s.value)} in ${s.loc.file}:${s.loc.line}:${s.loc.column}`;
}

function atOf(s: Setting): At {
  return s.from === 'file' ? { path: s.path, loc: s.loc } : { path: s.path };
}

/** Where one element of a list setting is: its own position in daemon.json, its own argument on the command line. */
export function elementOf(daemon: DaemonConfig, key: string, index: number): { at: At; source: string } | undefined {
  const s = daemon.settings.get(key);
  if (!s || !Array.isArray(s.value)) return undefined;
  const value = s.value[index] as unknown;
  if (s.from === 'flag') {
    const arg = s.args[index] ?? s.args.join(' ');
    return { at: { path: `${s.path}[${index}]` }, source: `${arg} on the command line of dockerd${daemon.process ? ` (PID ${daemon.process.pid})` : ''}` };
  }
  const loc = s.elements?.[index] ?? s.loc;
  return { at: { path: `${key}[${index}]`, loc }, source: `${short(value)} in "${key}" at ${loc.file}:${loc.line}:${loc.column}` };
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Readers of setting values: undefined for a value of another type. */
export const asBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const asStrings = (v: unknown): readonly string[] | undefined => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined);

/** True when /info's SecurityOptions has `name=<option>`; undefined when /info did not say. */
export function infoHasOption(daemon: DaemonConfig, option: string): boolean | undefined {
  const options = daemon.info?.securityOptions;
  return options?.some((o) => o.split(',').includes(`name=${option}`));
}
