import { basename, join, resolve } from 'node:path';
import type { ScanIO, ScanResult } from '../scan-result.js';
import { EMPTY } from '../scan-result.js';
import type { YamlDocument } from '../yaml/documents.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { Project } from './service.js';
import { at, buildTree, composeFile, text } from './tree.js';

/**
 * The compose adapter: each service of a compose file becomes one Container,
 * read as `docker compose` reads it: `${VAR}` interpolation from the shell
 * environment and the `.env` beside the file, YAML merge keys, `extends`
 * (within the file and from other files), env_file, and `build:` linked to
 * its Dockerfile so the image's USER and HEALTHCHECK count when the service
 * sets none.
 */

/** A mapping whose top level has `services` as a mapping, and is not a Kubernetes object. */
export function isCompose(value: unknown): boolean {
  if (!isRecord(value) || 'apiVersion' in value || 'kind' in value) return false;
  return isRecord(value['services']);
}

export function scanCompose(doc: YamlDocument, file: string, io: ScanIO): ScanResult {
  if (!isRecord(doc.value) || !isRecord(doc.value['services'])) return EMPTY;
  const main = composeFile(doc, file, false);
  const lookup = environment(main.dir, io);
  const root = buildTree(doc.value, '', main, lookup);
  const project = new Project(main, root, projectName(text(at(root, ['name'])), main.dir), io, lookup);
  return { containers: project.containers(), builds: [] };
}

/** Compose reads variables from the shell first, then from `.env` in the project folder. */
function environment(dir: string, io: ScanIO): Lookup {
  const dotenv = io.readText(join(dir, '.env'));
  const vars = new Map<string, string>();
  if (dotenv !== undefined) for (const e of parseDotenv(dotenv, (name) => io.env[name])) vars.set(e.name, e.value);
  return (name) => io.env[name] ?? vars.get(name);
}

/** The top-level `name:`, or the folder's name, normalised as compose does (lower case, [a-z0-9_-]). */
function projectName(name: string | undefined, dir: string): string {
  const raw = name ?? basename(resolve(dir));
  const normalised = raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
  return normalised || 'default';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
