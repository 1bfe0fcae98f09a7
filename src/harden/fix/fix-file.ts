import { runRules } from '../../core/engine.js';
import type { Finding } from '../../core/finding.js';
import type { Container } from '../../model/container.js';
import { subjectKey } from '../../model/subject.js';
import { RULES } from '../../rules/index.js';
import { readBuild } from '../../inputs/dockerfile/parse.js';
import { scanText } from '../../inputs/scan.js';
import type { ScanIO } from '../../inputs/scan-result.js';
import { changeTree, type ChangeNode } from './change-tree.js';
import { dockerfileEdits } from './dockerfile-edits.js';
import type { FixNote, FixOptions } from './fix-options.js';
import { jsonEdits } from './json-edits.js';
import { capabilityChanges, placeOf, RUNTIME_FIXERS, type Place, type RuntimeKind } from './runtime-fixes.js';
import { applyTextEdits, eolOf, lineStarts, offsetOf, type TextEdit } from './text-edit.js';
import { documentAt, yamlDocuments, yamlEdits } from './yaml-edits.js';

/** One file's fix: its text before and after, and what was left alone and why. */
export interface FileFix {
  readonly name: string;
  readonly before: string;
  readonly after: string;
  readonly notes: readonly FixNote[];
}

/**
 * Fixes one file's text: scans it as `bulkhead scan` does, and turns each
 * finding whose rule has a fixer for the file's kind into a text edit, so
 * fix and scan agree on what is wrong. Malformed input throws InputError.
 */
export function fixText(text: string, name: string, io: ScanIO, options: FixOptions): FileFix {
  const scan = scanText(text, name, io);
  const findings = runRules({ containers: scan.containers, builds: scan.builds }, RULES);
  const notes: FixNote[] = [];
  if (scan.kinds.includes('dockerfile')) {
    const build = readBuild(text, name);
    const edits = dockerfileEdits(text, build, findings, (n) => notes.push(n));
    return { name, before: text, after: applyTextEdits(text, edits), notes };
  }
  const containers = new Map(scan.containers.map((c) => [subjectKey(c.subject), c]));
  const isJson = isJsonText(text);
  const docs = isJson ? [] : yamlDocuments(text);
  const starts = lineStarts(text);
  // One change tree per document: a JSON file is one document.
  const trees = new Map<number, ChangeNode>();
  const treeFor = (f: Finding): ChangeNode | undefined => {
    let index = 0;
    if (!isJson) {
      const doc = f.location.loc ? documentAt(docs, offsetOf(starts, f.location.loc)) : docs[0];
      if (!doc) return undefined;
      index = docs.indexOf(doc);
    }
    let tree = trees.get(index);
    if (!tree) trees.set(index, (tree = changeTree()));
    return tree;
  };
  const touched = new Map<Container, { place: Place; tree: ChangeNode }>();
  for (const f of findings) {
    const fixer = RUNTIME_FIXERS[f.rule.name];
    const c = containers.get(subjectKey(f.subject));
    const kind = c?.source.kind;
    if (!fixer || !c || !isRuntimeKind(kind)) continue;
    const place = placeOf(f, kind);
    const tree = treeFor(f);
    if (!place || !tree) continue;
    fixer(f, place, tree, options, (t) => notes.push({ finding: f, text: t }), c);
    if (place.container && !touched.has(c)) touched.set(c, { place, tree });
  }
  for (const [c, { place, tree }] of touched) {
    const finding = findings.find((f) => containers.get(subjectKey(f.subject)) === c)!;
    capabilityChanges(c, place, tree, (t) => notes.push({ finding, text: t }));
  }
  const edits: TextEdit[] = [];
  for (const [index, tree] of trees) edits.push(...(isJson ? jsonEdits(text, tree, eolOf(text)) : yamlEdits(text, docs[index]!, tree, eolOf(text))));
  return { name, before: text, after: applyTextEdits(text, edits), notes };
}

function isRuntimeKind(kind: string | undefined): kind is RuntimeKind {
  return kind === 'compose' || kind === 'kubernetes' || kind === 'ecs';
}

/** Valid JSON gets JSON edits; anything else that parsed (YAML, flow style included) gets YAML edits. */
function isJsonText(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
