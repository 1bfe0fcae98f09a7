/**
 * Where the --inspect reader places findings, checked against the text
 * itself: at each finding's line and column (1-based, UTF-16 units) the text
 * holds the key the path ends in, or the start of the array element it
 * names. In one-line (minified) output, where every container but the first
 * starts mid-line, indented with tabs (both walked a token at a time), indented
 * with spaces (walked a line at a time), and behind non-ASCII text on the same
 * and earlier lines.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRules } from '../../src/core/engine.js';
import { containersFromInspectText } from '../../src/inputs/inspect/read.js';
import { splitPath } from '../../src/model/path.js';
import { RULES } from '../../src/rules/index.js';
import { fixturesDir } from '../support/env.js';

const recorded = (rule: string) => JSON.parse(readFileSync(join(fixturesDir, 'rules', rule, 'bad.inspect.json'), 'utf8')) as Record<string, unknown>[];

/** Non-ASCII before the keys the rules place: a label (in Config, before HostConfig's findings are read back) and the name. */
function withNonAscii(doc: Record<string, unknown>, n: number): Record<string, unknown> {
  const config = doc['Config'] as Record<string, unknown>;
  return { Note: `é😀€ ${n}`, ...doc, Name: `/naïve-😀-${n}`, Config: { Labels: { 'x.é': '😀😀', ...(config['Labels'] as object) }, ...config } };
}

function written(value: unknown, segments: readonly (string | number)[]): boolean {
  let node = value;
  for (const s of segments) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, s)) return false;
    node = (node as Record<string | number, unknown>)[s];
  }
  return true;
}

for (const [layout, indent] of [['minified', undefined], ['tabs', '\t'], ['two spaces (jq)', 2], ['four spaces (docker inspect)', 4]] as const) {
  test(`findings sit where the text has their key or element (${layout})`, () => {
    const docs = [...recorded('capabilities-added'), ...recorded('privileged-container'), ...recorded('docker-socket-mounted')].map(withNonAscii);
    const text = JSON.stringify(docs, null, indent);
    const lines = text.split('\n');
    const findings = runRules({ containers: containersFromInspectText(text, 'f.json') }, RULES);
    let checked = 0;
    for (const f of findings) {
      const loc = f.location.loc;
      if (!loc) continue;
      const at = lines[loc.line - 1]!.slice(loc.column - 1);
      // A default nobody wrote is placed at its nearest ancestor that is written.
      const doc = docs.find((d) => d['Id'] === f.subject.id);
      let segments = splitPath(f.location.path);
      while (segments.length > 0 && !written(doc, segments)) segments = segments.slice(0, -1);
      const last = segments.at(-1);
      if (typeof last === 'string') assert.ok(at.startsWith(`${JSON.stringify(last)}:`), `${f.location.path} at ${loc.line}:${loc.column}: ${at.slice(0, 40)}`);
      else assert.match(at, /^["{[\d\-tfn]/, `${f.location.path} at ${loc.line}:${loc.column}: ${at.slice(0, 40)}`);
      if (typeof last === 'string') assert.equal(loc.endColumn, loc.column + JSON.stringify(last).length);
      checked++;
    }
    assert.ok(checked > 20, `${checked} findings checked`);
  });
}
