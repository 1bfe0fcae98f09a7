import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Severity } from '../core/severity.js';

/** One ignore of `.bulkhead.yaml`. */
export interface ConfigIgnore {
  /** A rule id, name or peer id. */
  readonly id: string;
  readonly reason: string;
  /** Globs matched against a finding's file (scan); none means everywhere. */
  readonly paths: readonly string[];
  /** Globs matched against the subject's name (a container name in a live audit). */
  readonly subjects: readonly string[];
  /** YYYY-MM-DD; the ignore stops working after that day. */
  readonly expires?: string;
  /** Where it is written, for messages: file:line:column. */
  readonly where: string;
}

export interface Config {
  readonly ignores: readonly ConfigIgnore[];
  /** Severity overrides by rule id, name or peer id. */
  readonly severity: ReadonlyMap<string, Severity>;
  readonly exclude: readonly string[];
  readonly failOn?: Severity | 'none';
  /** The files read, most important first. */
  readonly files: readonly string[];
}

export const EMPTY_CONFIG: Config = { ignores: [], severity: new Map(), exclude: [], files: [] };


/** The user's config: $XDG_CONFIG_HOME/bulkhead/config.yaml, else ~/.config/bulkhead/config.yaml. */
export function userConfigPath(env: Readonly<Record<string, string | undefined>> = process.env, home = homedir()): string {
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'bulkhead', 'config.yaml');
}

/**
 * The configuration for a run: an explicit --config file alone, or else
 * `.bulkhead.yaml` of each folder given (the scanned folder, then the working
 * folder) and the user's config, merged: ignores and excludes add up; for
 * severity overrides and fail-on the earlier file wins.
 */
export async function loadConfig(explicit: string | undefined, folders: readonly string[], readText: (path: string) => string, userConfig = userConfigPath()): Promise<Config> {
  // A folder named twice (`scan .` run in it is the scanned folder and the working one) is read once.
  const seen = new Set<string>();
  const files = explicit
    ? [explicit]
    : [...folders.map((f) => join(f, '.bulkhead.yaml')), userConfig].filter((f) => !seen.has(resolve(f)) && seen.add(resolve(f)) && existsSync(f));
  if (explicit && !existsSync(explicit)) throw new InputError(`${explicit}: no such config file`);
  if (files.length === 0) return EMPTY_CONFIG;
  // The YAML parser is loaded only when there is a config file to read.
  const { parseConfig } = await import('./parse-config.js');
  const parts = files.map((f) => parseConfig(readText(f), f));
  const severity = new Map<string, Severity>();
  for (const p of [...parts].reverse()) for (const [k, v] of p.severity) severity.set(k, v);
  const failOn = parts.find((p) => p.failOn !== undefined)?.failOn;
  return {
    ignores: parts.flatMap((p) => p.ignores),
    severity,
    exclude: parts.flatMap((p) => p.exclude),
    ...(failOn ? { failOn } : {}),
    files,
  };
}

