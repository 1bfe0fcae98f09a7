import type { Need, Rule } from './rule.js';
import type { Workload } from '../model/workload.js';

/**
 * What `audit --sections` selects: the CIS Docker Benchmark's sections in its
 * order (1 host … 6 operations), then `config`, the container configuration
 * in the current folder (what `bulkhead scan .` audits).
 */
export const SECTIONS = ['host', 'daemon', 'files', 'images', 'containers', 'operations', 'config'] as const;
export type Section = (typeof SECTIONS)[number];

/** Sections read from the host's files (and /proc), which need no engine: in a fleet audit, this machine's. */
export const HOST_SECTIONS: readonly Section[] = ['host', 'daemon', 'files'];
/** Sections that need an engine: what each engine of a fleet is asked. */
export const ENGINE_SECTIONS: readonly Section[] = ['images', 'containers', 'operations'];

/**
 * The sections whose audit gathers each kind of fact. Runtime facts come
 * from containers, and from images too: an image's configuration (User,
 * Healthcheck, Env, ExposedPorts, Cmd) is what its containers start with, and
 * is judged by the same rules (runs-as-root, CIS 4.1, for both). Build
 * facts are images' histories, or Dockerfiles.
 */
const SECTIONS_OF: Record<Need, readonly Section[]> = {
  'host-system': ['host'],
  'daemon-config': ['daemon'],
  'host-files': ['files'],
  images: ['images'],
  build: ['images'],
  runtime: ['containers', 'images'],
  daemon: ['containers'],
  inventory: ['operations'],
};

/** The sections a rule belongs to: those of the facts it reads. */
export function sectionsOf(rule: Rule): Section[] {
  return SECTIONS.filter((s) => rule.needs.some((n) => SECTIONS_OF[n].includes(s)));
}

/** True when the workload holds the facts: containers and builds may be none at all, the others must have been gathered. */
export function hasFacts(workload: Workload, need: Need): boolean {
  switch (need) {
    case 'runtime':
    case 'build':
      return true;
    case 'daemon':
      return workload.daemon !== undefined;
    case 'host-system':
      return workload.host?.system !== undefined;
    case 'daemon-config':
      return workload.host?.daemon !== undefined;
    case 'host-files':
      return workload.host?.files !== undefined;
    case 'images':
      return workload.images !== undefined;
    case 'inventory':
      return workload.inventory !== undefined;
  }
}

/** Facts about the host itself, its daemon, files and images, rather than about containers or Dockerfiles. */
const HOST_LEVEL: ReadonlySet<Need> = new Set(['host-system', 'daemon-config', 'host-files', 'images', 'inventory']);

/** A rule about the host (its fix is a command or a setting, not a `docker run` flag; it is tested on host trees, not fixtures). */
export function isHostLevel(rule: Rule): boolean {
  return rule.needs.every((n) => HOST_LEVEL.has(n));
}

/** The rules that run on a workload: those whose every kind of fact it holds. */
export function applicable(rules: readonly Rule[], workload: Workload): Rule[] {
  return rules.filter((r) => r.needs.every((n) => hasFacts(workload, n)));
}
