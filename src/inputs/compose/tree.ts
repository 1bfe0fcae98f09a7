import { dirname } from 'node:path';
import { InputError } from '../../core/errors.js';
import { child, parentPath } from '../../model/path.js';
import type { Loc } from '../../model/value.js';
import type { YamlDocument } from '../yaml/documents.js';
import { interpolate, MissingVariable, type Lookup } from './interpolate.js';

/** A compose file taking part in a scan: the scanned one, or one that `extends: {file}` reads. */
export interface ComposeFile {
  /** The name findings show. */
  readonly file: string;
  /** Its folder: relative paths in it (bind sources, build contexts, env_file, extends) start there. */
  readonly dir: string;
  readonly doc: YamlDocument;
  /** True for a file other than the scanned one: positions of its values must be given explicitly. */
  readonly foreign: boolean;
}

export function composeFile(doc: YamlDocument, file: string, foreign: boolean): ComposeFile {
  return { file, dir: dirname(file), doc, foreign };
}

/**
 * A value of a compose file after interpolation, knowing the logical path it
 * was written at and its file. Values merged in with YAML merge keys
 * (`<<: *defaults`) are at paths under `["<<"]`, which place them at the
 * `<<` key that brought them in.
 */
export type Node = MapNode | SeqNode | ScalarNode;

interface NodeBase {
  readonly path: string;
  readonly src: ComposeFile;
}

export interface MapNode extends NodeBase {
  readonly kind: 'map';
  readonly entries: ReadonlyMap<string, Node>;
}

export interface SeqNode extends NodeBase {
  readonly kind: 'seq';
  readonly items: readonly Node[];
}

export interface ScalarNode extends NodeBase {
  readonly kind: 'scalar';
  /** null for YAML null (and for what cannot be a compose value). */
  readonly value: string | number | boolean | null;
}

/** No compose value nests this deep; deeper (alias-built) structures are cut off rather than risk the stack. */
const MAX_DEPTH = 100;

/** Builds the tree of one document, interpolating every string value (not keys, as compose). */
export function buildTree(value: unknown, path: string, src: ComposeFile, lookup: Lookup): Node {
  return build(value, path, src, lookup, new Set(), 0);
}

function build(value: unknown, path: string, src: ComposeFile, lookup: Lookup, open: Set<object>, depth: number): Node {
  if (typeof value === 'string') return { kind: 'scalar', value: interpolateAt(value, path, src, lookup), path, src };
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, path, src };
  if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), path, src };
  if (typeof value !== 'object' || value === null || open.has(value) || depth > MAX_DEPTH) return { kind: 'scalar', value: null, path, src };
  open.add(value);
  try {
    if (Array.isArray(value)) {
      return { kind: 'seq', items: value.map((v, i) => build(v, child(path, i), src, lookup, open, depth + 1)), path, src };
    }
    if (value instanceof Date) return { kind: 'scalar', value: value.toISOString(), path, src };
    const entries = new Map<string, Node>();
    const record = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(record)) {
      if (k !== '<<') entries.set(k, build(v, child(path, k), src, lookup, open, depth + 1));
    }
    // YAML merge keys: keys written in the mapping win, then the merged mappings in order.
    const merged = record['<<'];
    if (merged !== undefined) {
      const sources = Array.isArray(merged) ? merged.map((m, i) => [m, child(path, '<<', i)] as const) : [[merged, child(path, '<<')] as const];
      for (const [m, at] of sources) {
        const node = build(m, at, src, lookup, open, depth + 1);
        if (node.kind !== 'map') continue;
        for (const [k, v] of node.entries) if (!entries.has(k)) entries.set(k, v);
      }
    }
    return { kind: 'map', entries, path, src };
  } finally {
    open.delete(value);
  }
}

function interpolateAt(text: string, path: string, src: ComposeFile, lookup: Lookup): string {
  try {
    return interpolate(text, lookup);
  } catch (e) {
    if (!(e instanceof MissingVariable)) throw e;
    throw new InputError(`${where(src, path)}: ${e.message}`);
  }
}

/** `file:line:column` of a path, or of its nearest placed parent. */
export function where(src: ComposeFile, path: string): string {
  const loc = locateIn(src, path);
  return loc ? `${loc.file}:${loc.line}:${loc.column}` : `${src.file}:1:1`;
}

/** Places a path in its file, falling back to the nearest parent that is placed (values under aliases are not). */
export function locateIn(src: ComposeFile, path: string): Loc | undefined {
  const chain: string[] = [];
  for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) chain.push(p);
  const placed = src.doc.locate(chain);
  for (const p of chain) {
    const loc = placed.get(p);
    if (loc) return loc;
  }
  return undefined;
}

// ---- reading nodes -------------------------------------------------------

export function get(node: Node | undefined, key: string): Node | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The node at a chain of keys, when every step is a mapping and the end is not null. */
export function at(node: Node | undefined, keys: readonly string[]): Node | undefined {
  let n = node;
  for (const k of keys) n = get(n, k);
  return n && !(n.kind === 'scalar' && n.value === null) ? n : undefined;
}

export function scalar(node: Node | undefined): string | number | boolean | undefined {
  return node?.kind === 'scalar' && node.value !== null ? node.value : undefined;
}

/** A scalar as text (numbers and booleans as YAML writes them); undefined for mappings, sequences and null. */
export function text(node: Node | undefined): string | undefined {
  const v = scalar(node);
  return v === undefined ? undefined : String(v);
}
