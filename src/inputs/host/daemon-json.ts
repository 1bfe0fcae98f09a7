import { createRequire } from 'node:module';
import type { Node, ParseError } from 'jsonc-parser';
import type { FileSetting } from '../../model/host.js';
import { FLAG_OF_KEY, type FlagKind } from './dockerd-flags.js';
import { quoted } from './quote.js';
import { SourceText } from '../source-text.js';

export type DaemonJson =
  | { readonly ok: true; readonly settings: ReadonlyMap<string, FileSetting>; readonly notes: readonly string[] }
  /** `error` is one line: `FILE:LINE:COLUMN: what is wrong`. */
  | { readonly ok: false; readonly error: string };

/**
 * Reads daemon.json as dockerd does (strict JSON, one object, the last of
 * duplicate keys wins), keeping where each key is. A known key whose value is
 * not of the type dockerd expects is a note, not a setting: dockerd refuses to
 * start with it, so it is not what the running daemon uses.
 */
export function parseDaemonJson(text: string, file: string): DaemonJson {
  // dockerd skips a UTF-8 byte order mark; a space keeps every offset and column where it was.
  const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  const lines = new SourceText(source, file);
  if (source.trim() === '') return { ok: true, settings: new Map(), notes: [] };
  const { parseTree, getNodeValue, printParseErrorCode } = createRequire(import.meta.url)('jsonc-parser') as typeof import('jsonc-parser');
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { ok: false, error: `${file}:1:1: not valid JSON (nested too deeply to say where)` };
  }
  const first = errors[0];
  if (first) {
    const at = lines.loc(first.offset, first.offset);
    return { ok: false, error: `${file}:${at.line}:${at.column}: not valid JSON (${printParseErrorCode(first.error)})` };
  }
  if (!root || root.type !== 'object') {
    const at = lines.loc(root?.offset ?? 0, root?.offset ?? 0);
    return { ok: false, error: `${file}:${at.line}:${at.column}: not a JSON object` };
  }

  const settings = new Map<string, FileSetting>();
  const notes: string[] = [];
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const loc = lines.loc(keyNode.offset, valueNode.offset + valueNode.length);
    const value: unknown = getNodeValue(valueNode);
    const def = FLAG_OF_KEY.get(key);
    if (def && !hasType(value, def.kind)) {
      notes.push(`${file}:${loc.line}:${loc.column}: ${quoted(key)} is ${shown(value)}; dockerd expects ${EXPECTED[def.kind]} and refuses to start with this file`);
      settings.delete(key);
      continue;
    }
    const elements = valueNode.type === 'array' ? (valueNode.children ?? []).map((e) => lines.loc(e.offset, e.offset + e.length)) : undefined;
    settings.delete(key); // a duplicate key: the last one wins, in the file's order
    settings.set(key, { from: 'file', origin: 'explicit', path: key, value, loc, ...(elements ? { elements } : {}) });
  }
  return { ok: true, settings, notes };
}

const EXPECTED: Record<FlagKind, string> = {
  bool: 'true or false',
  string: 'a string',
  int: 'a whole number',
  list: 'a list of strings',
  map: 'an object',
  any: 'a value',
  action: 'a value',
};

function hasType(value: unknown, kind: FlagKind): boolean {
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'int':
      return Number.isSafeInteger(value);
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'any':
    case 'action':
      return true;
  }
}

/** A wrongly typed value, for a note: short, quoted, with its JSON type. */
function shown(value: unknown): string {
  const type = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? type : `${text.length > 0 ? text : '""'} (${type})`;
}

