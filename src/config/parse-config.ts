import { InputError } from '../core/errors.js';
import { isSeverity, type Severity } from '../core/severity.js';
import { loadYamlDocuments } from '../inputs/yaml/documents.js';
import type { Loc } from '../model/value.js';
import { child } from '../model/path.js';
import { EMPTY_CONFIG, type Config, type ConfigIgnore } from './config.js';

const KEYS = ['ignore', 'severity', 'exclude', 'fail-on'] as const;
const IGNORE_KEYS = ['id', 'reason', 'paths', 'subjects', 'expires'] as const;

/** Parses one config file; unknown keys and wrong types are errors naming file:line:column. */
export function parseConfig(text: string, file: string): Config {
  const [doc, ...more] = loadYamlDocuments(text, file);
  if (!doc || doc.value === null || doc.value === undefined) return { ...EMPTY_CONFIG, files: [file] };
  const where = (path: string) => {
    const loc: Loc | undefined = doc.locate([path]).get(path);
    return loc ? `${file}:${loc.line}:${loc.column}` : file;
  };
  const fail = (path: string, message: string): never => {
    throw new InputError(`${where(path)}: ${message}`);
  };
  if (more.length) fail('', 'a config file holds one YAML document');
  const root = doc.value;
  if (!isMap(root)) return fail('', 'expected a mapping of ignore, severity, exclude, fail-on');
  for (const key of Object.keys(root)) if (!(KEYS as readonly string[]).includes(key)) fail(key, `unknown key "${key}" (expected ${KEYS.join(', ')})`);

  const ignores: ConfigIgnore[] = [];
  const list = root['ignore'];
  if (list !== undefined && !Array.isArray(list)) fail('ignore', 'ignore: expected a list');
  (Array.isArray(list) ? list : []).forEach((item, i) => {
    const path = child('ignore', i);
    if (!isMap(item)) return fail(path, 'expected a mapping with id and reason');
    for (const key of Object.keys(item)) if (!(IGNORE_KEYS as readonly string[]).includes(key)) fail(child(path, key), `unknown key "${key}" (expected ${IGNORE_KEYS.join(', ')})`);
    const id = item['id'];
    const reason = item['reason'];
    if (typeof id !== 'string' || id.trim() === '') fail(path, 'an ignore needs an id (a rule id, name or peer id)');
    if (typeof reason !== 'string' || reason.trim() === '') fail(path, 'an ignore needs a reason');
    const expires = item['expires'];
    let expiresText: string | undefined;
    if (expires !== undefined) {
      expiresText = expires instanceof Date ? expires.toISOString().slice(0, 10) : String(expires);
      // Date.parse takes 2099-02-30 (as March 2nd): the day must be one the month has.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresText) || Number.isNaN(Date.parse(expiresText)) || new Date(`${expiresText}T00:00:00Z`).toISOString().slice(0, 10) !== expiresText) fail(child(path, 'expires'), 'expires: expected a date YYYY-MM-DD');
    }
    ignores.push({
      id: id as string,
      reason: reason as string,
      paths: globs(item['paths'], child(path, 'paths'), fail),
      subjects: globs(item['subjects'], child(path, 'subjects'), fail),
      ...(expiresText ? { expires: expiresText } : {}),
      where: where(path),
    });
  });

  const severity = new Map<string, Severity>();
  const overrides = root['severity'];
  if (overrides !== undefined) {
    if (!isMap(overrides)) fail('severity', 'severity: expected a mapping of rule id to severity');
    for (const [k, v] of Object.entries(overrides as Record<string, unknown>)) {
      if (typeof v !== 'string' || !isSeverity(v.toLowerCase())) fail(child('severity', k), `severity of ${k}: expected critical, high, medium, low or info`);
      severity.set(k, (v as string).toLowerCase() as Severity);
    }
  }
  const failOn = root['fail-on'];
  if (failOn !== undefined && !(typeof failOn === 'string' && (failOn === 'none' || isSeverity(failOn)))) fail('fail-on', 'fail-on: expected critical, high, medium, low, info or none');
  return {
    ignores,
    severity,
    exclude: globs(root['exclude'], 'exclude', fail),
    ...(failOn !== undefined ? { failOn: failOn as Severity | 'none' } : {}),
    files: [file],
  };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function globs(v: unknown, path: string, fail: (path: string, message: string) => never): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((g) => typeof g === 'string')) return v as string[];
  return fail(path, 'expected a glob or a list of globs');
}
