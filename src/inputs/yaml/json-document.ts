import { createRequire } from 'node:module';
import type * as Jsonc from 'jsonc-parser';
import type { Loc } from '../../model/value.js';
import { splitPath } from '../../model/path.js';

/**
 * A JSON text read as its one YAML document, without the YAML parser: JSON
 * is YAML, and JSON.parse gives the same value many times faster (the YAML
 * library lexes JSON's flow syntax character by character). Positions are
 * found only when a finding asks for them, in a jsonc-parser tree, and are
 * the YAML locator's: a property at its key, an array element (or the root)
 * over the whole value.
 *
 * Returns undefined for anything it does not read exactly as the YAML path
 * would, which then reads it as before: text that is not JSON (errors keep
 * their YAML wording), nesting deeper than `maxDepth` (refused there with its
 * position), and carriage returns (which the YAML line counter does not
 * count as line breaks alone, so columns could differ).
 */
export function jsonDocument(text: string, file: string, maxDepth: number): { value: unknown; locate: (paths: readonly string[]) => ReadonlyMap<string, Loc> } | undefined {
  if (!/^[ \t\n]*[[{]/.test(text) || text.includes('\r')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (deeperThan(value, maxDepth)) return undefined;
  let tree: Jsonc.Node | undefined;
  let lineStarts: number[] | undefined;
  const position = (offset: number) => {
    lineStarts ??= startsOfLines(text);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  return {
    value,
    locate: (paths) => {
      tree ??= jsoncParser().parseTree(text);
      const found = new Map<string, Loc>();
      for (const p of paths) {
        const node = tree && nodeAt(tree, p);
        if (!node) continue;
        const start = position(node.offset);
        const end = position(node.offset + node.length);
        found.set(p, { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
      }
      return found;
    },
  };
}

/** Whether a collection sits deeper than `max` (the root counts 1), as the YAML path's depth check counts. */
function deeperThan(value: unknown, max: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** The node a logical path names: a property's key, an array element, or the root for ''. The last of duplicate keys: its value is the one JSON.parse (and so the AWS CLI) keeps. */
function nodeAt(root: Jsonc.Node, path: string): Jsonc.Node | undefined {
  let node: Jsonc.Node | undefined = root;
  let key: Jsonc.Node | undefined;
  for (const segment of splitPath(path)) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
      key = undefined;
    } else {
      const property: Jsonc.Node | undefined = node.type === 'object' ? node.children?.findLast((p) => p.children?.[0]?.value === segment) : undefined;
      key = property?.children?.[0];
      node = property?.children?.[1] ?? key;
    }
    if (!node) return undefined;
  }
  return key ?? node;
}

function startsOfLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

let jsonc: typeof Jsonc | undefined;

/** Loaded on first use: only a scan with JSON findings needs it. */
function jsoncParser(): typeof Jsonc {
  jsonc ??= createRequire(import.meta.url)('jsonc-parser') as typeof Jsonc;
  return jsonc;
}
