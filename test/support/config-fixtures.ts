/**
 * Configuration fixtures (Dockerfile, compose, Kubernetes, ECS) of a rule
 * folder: `bad*`/`good*` files, or folders scanned whole. Expectations are
 * inline: `# expect: rule-a, rule-b*2` at the end of the offending line (`*2`:
 * two findings there, e.g. one per container of a pod), or on
 * a comment line of its own, which then speaks of the next line (Dockerfiles
 * have no end-of-line comments). JSON has no comments: `<file>.expected.json`
 * lists `{ "rule", "path", "line" }`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runRules } from '../../src/core/engine.js';
import type { Rule } from '../../src/core/rule.js';
import type { Build } from '../../src/model/build.js';
import type { Container } from '../../src/model/container.js';
import { scanText } from '../../src/inputs/scan.js';
import { findFiles } from '../../src/inputs/walk.js';
import { fileIO } from '../../src/inputs/scan-file.js';
import { repoRoot } from './env.js';

export interface ConfigCase {
  readonly name: string;
  /** The files of the case, relative to the repository. */
  readonly files: readonly string[];
}

const NOT_CONFIG = /(\.inspect\.json|\.expected\.json|\.top\.json|\.info\.json|^record\.json)$/;

export function configCases(dir: string): ConfigCase[] {
  return readdirSync(dir)
    .filter((f) => /^(bad|good)/.test(f) && !NOT_CONFIG.test(f))
    .map((f) => {
      const full = join(dir, f);
      const files = statSync(full).isDirectory() ? findFiles([full], []) : [full];
      return { name: f, files: files.map((p) => relative(repoRoot, p)) };
    });
}

interface Place {
  file: string;
  line: number;
}

export function checkConfigCase(c: ConfigCase, rule: Rule): void {
  const containers: Container[] = [];
  const builds: Build[] = [];
  let kinds = 0;
  for (const file of c.files) {
    // The scan's own file access (BOM and size handling included), with an empty environment for interpolation.
    const r = scanText(readFileSync(file, 'utf8'), file, fileIO({}));
    kinds += r.kinds.length;
    containers.push(...r.containers);
    builds.push(...r.builds);
  }
  assert.ok(kinds > 0, `${c.name}: no container configuration found in ${c.files.join(', ')}`);
  const findings = runRules({ containers, builds }, [rule]);
  const got = findings.map((f) => ({ file: f.location.loc?.file ?? '(no file)', line: f.location.loc?.line ?? 0 }));
  if (c.name.startsWith('good')) {
    assert.deepEqual(got, [], `${c.name}: expected no ${rule.name} findings, got: ${findings.map((f) => `${f.location.path}: ${f.message}`).join('; ')}`);
    return;
  }
  const expected = c.files.flatMap((f) => expectations(f, rule.name));
  const order = (a: Place, b: Place) => a.file.localeCompare(b.file) || a.line - b.line;
  assert.deepEqual(got.sort(order), expected.sort(order), `${c.name}: findings of ${rule.name} (file:line) differ from the expectations; messages: ${findings.map((f) => f.message).join('; ')}`);
  assert.ok(expected.length > 0, `${c.name}: a bad case needs at least one expectation`);
}

function expectations(file: string, ruleName: string): Place[] {
  if (file.endsWith('.json')) {
    const sidecar = `${file}.expected.json`;
    if (!existsSync(sidecar)) return [];
    const list = JSON.parse(readFileSync(sidecar, 'utf8')) as { rule: string; line: number }[];
    return list.filter((e) => e.rule === ruleName).map((e) => ({ file, line: e.line }));
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Place[] = [];
  lines.forEach((text, i) => {
    const m = /#\s*expect:\s*([a-z0-9, *-]+?)\s*$/.exec(text);
    if (!m) return;
    const count = m[1]!
      .split(/\s*,\s*/)
      .map((name) => /^([a-z0-9-]+)(?:\*(\d+))?$/.exec(name))
      .filter((x) => x?.[1] === ruleName)
      .reduce((n, x) => n + Number(x![2] ?? 1), 0);
    if (count === 0) return;
    let line = i + 1;
    if (/^\s*#/.test(text)) {
      // A comment line of its own speaks of the next line that is not a comment.
      let j = i + 1;
      while (j < lines.length && /^\s*(#|$)/.test(lines[j]!)) j++;
      line = j + 1;
    }
    for (let k = 0; k < count; k++) out.push({ file, line });
  });
  return out;
}
