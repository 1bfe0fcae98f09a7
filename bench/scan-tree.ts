/**
 * The scan benchmark's input: a tree of 2,000 Dockerfiles, 2,000 compose
 * files, 1,000 Kubernetes files and 500 ECS task definitions, each a copy of
 * a real fixture (test/rules/*, test/scan/real-world) in a folder of its own.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scanText } from '../src/inputs/scan.js';
import { subjectKey } from '../src/model/subject.js';

export const SCAN_TREE = { dockerfile: 2000, compose: 2000, kubernetes: 1000, ecs: 500 } as const;

interface Template {
  readonly path: string;
  /** The name the copy gets, which decides how it is recognised. */
  readonly name: string;
  readonly subjects: number;
}

/** Writes the tree under `dir`; returns the number of files and of subjects a scan must report. */
export function buildScanTree(repoRoot: string, dir: string): { files: number; subjects: number; templates: number } {
  const sources = [join(repoRoot, 'test', 'rules'), join(repoRoot, 'test', 'scan', 'real-world')];
  const found = sources.flatMap((s) => filesUnder(s));
  const pick = (test: (f: string) => boolean, name: string): Template[] =>
    found.filter(test).flatMap((path) => {
      const subjects = subjectsOf(path, name);
      return subjects > 0 ? [{ path, name, subjects }] : [];
    });
  const templates = {
    dockerfile: pick((f) => f.endsWith('.Dockerfile'), 'Dockerfile'),
    compose: pick((f) => f.endsWith('.compose.yaml'), 'compose.yaml'),
    kubernetes: pick((f) => f.endsWith('.k8s.yaml'), 'app.k8s.yaml'),
    ecs: pick((f) => f.endsWith('.ecs.json') || f.endsWith('ecs-service.json'), 'taskdef.json'),
  };
  let files = 0;
  let subjects = 0;
  for (const kind of Object.keys(SCAN_TREE) as (keyof typeof SCAN_TREE)[]) {
    const list = templates[kind];
    if (list.length === 0) throw new Error(`no ${kind} templates found`);
    for (let i = 0; i < SCAN_TREE[kind]; i++) {
      const t = list[i % list.length]!;
      const folder = join(dir, kind, String(i).padStart(4, '0'));
      mkdirSync(folder, { recursive: true });
      copyFileSync(t.path, join(folder, t.name));
      files++;
      subjects += t.subjects;
    }
  }
  return { files, subjects, templates: Object.values(templates).reduce((n, l) => n + l.length, 0) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** How many subjects one copy of the file adds (0: not usable alone, e.g. it needs a sibling file). */
function subjectsOf(path: string, name: string): number {
  try {
    const r = scanText(readFileSync(path, 'utf8'), name, { readText: () => undefined, env: {} });
    return new Set([...r.containers.map((c) => subjectKey(c.subject)), ...r.builds.map((b) => subjectKey(b.subject))]).size;
  } catch {
    return 0;
  }
}
