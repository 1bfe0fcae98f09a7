import { readdirSync } from 'node:fs';
import { basename } from 'node:path';

/** The kinds of configuration `bulkhead scan` reads. */
export const INPUT_KINDS = ['dockerfile', 'compose', 'kubernetes', 'ecs'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** How a file is read, judged by its name alone: Dockerfiles by name, YAML and JSON by extension, anything else not at all. */
export type Syntax = 'dockerfile' | 'yaml' | 'json';

/** `Dockerfile.<this>` is not a Dockerfile: BuildKit's per-Dockerfile ignore file, notes, editor and merge leftovers. */
const NOT_DOCKERFILE_SUFFIXES = /\.(dockerignore|md|txt|rst|orig|rej|bak|swp|tmp|j2|tpl|template|erb)$/i;

export function syntaxByName(path: string): Syntax | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  const dockerfileName = name === 'Dockerfile' || name === 'Containerfile' || lower.endsWith('.dockerfile') || name.startsWith('Dockerfile.') || name.startsWith('Containerfile.');
  if (dockerfileName && !NOT_DOCKERFILE_SUFFIXES.test(name)) return 'dockerfile';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** compose.yaml, compose.yml, docker-compose.yml, docker-compose.prod.yaml, … */
export function isComposeName(path: string): boolean {
  return /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i.test(basename(path));
}

/**
 * A cheap look before parsing: a YAML or JSON file that mentions none of
 * these words holds no container configuration (package-lock.json, CI files).
 */
export function mayHoldContainers(text: string): boolean {
  return /\b(services|apiVersion|containerDefinitions|taskDefinition|AWS::ECS::TaskDefinition)\b/.test(text);
}

/**
 * True when a folder's own files (not its subfolders) include a Dockerfile or
 * a compose file: a project checkout, worth scanning whole; a home folder or
 * `/` is not walked unasked.
 */
export function looksLikeProject(folder: string): boolean {
  try {
    return readdirSync(folder, { withFileTypes: true }).some((e) => e.isFile() && (syntaxByName(e.name) === 'dockerfile' || isComposeName(e.name)));
  } catch {
    return false;
  }
}
