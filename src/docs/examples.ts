import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Example } from './rule-doc.js';

/** The cases of test/rules/<name>/record.json, in order. */
export function examplesOf(root: string, ruleName: string): Example[] {
  const file = join(root, 'test', 'rules', ruleName, 'record.json');
  if (!existsSync(file)) return [];
  const cases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { args?: string[]; cmd?: string[]; note?: string }>;
  return Object.entries(cases).map(([name, c]) => ({ name, args: c.args ?? [], ...(c.cmd ? { cmd: c.cmd } : {}), ...(c.note ? { note: c.note } : {}) }));
}
