import { applyEdits, findNodeAtLocation, modify, parseTree, type FormattingOptions, type JSONPath, type Node as JsonNode } from 'jsonc-parser';
import { samePlain, valueToInsert, type ChangeNode } from './change-tree.js';

/**
 * Makes a JSON file say what the change tree wants, with jsonc-parser's
 * `modify`: each change is a minimal text edit formatted like the file
 * (its indentation and line ending), so nothing else moves. Changes are
 * applied one after the other, each on the text the last one left.
 */
export function fixJson(text: string, tree: ChangeNode, eol: string): string {
  const formattingOptions: FormattingOptions = { ...indentationOf(text), eol };
  let out = text;
  const edit = (path: JSONPath, value: unknown) => {
    out = applyEdits(out, modify(out, path, value, { formattingOptions }));
  };
  const walk = (path: JSONPath, node: ChangeNode): void => {
    const root = parseTree(out);
    const here = root ? findNodeAtLocation(root, path) : undefined;
    // A key written as null holds nothing: it is filled like a missing one.
    if (path.length && (!here || (here.type === 'null' && node.change?.op !== 'remove'))) {
      const value = valueToInsert(node);
      if (value !== undefined) edit(path, value);
      return;
    }
    const change = node.change;
    if (change?.op === 'remove') return edit(path, undefined);
    if (change?.op === 'set') {
      if (!samePlain(valueOf(here), change.value)) edit(path, change.value);
      return;
    }
    if (change?.op === 'default') return;
    for (const a of node.appends) {
      const list = findNodeAtLocation(parseTree(out)!, path);
      if (list?.type !== 'array') break;
      const items = (list.children ?? []).map(valueOf);
      if (items.some((i) => samePlain(i, a.item))) continue;
      const wrong = a.replaces ? items.findIndex((i) => a.replaces!(i)) : -1;
      edit([...path, wrong >= 0 ? wrong : -1], a.item);
    }
    // Array items from the last: removing one must not move those still to be visited.
    const children = [...node.children].sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? b - a : 0));
    for (const [key, child] of children) walk([...path, key], child);
  };
  walk([], tree);
  return out;
}

function valueOf(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  if (node.type === 'array') return (node.children ?? []).map(valueOf);
  if (node.type === 'object') return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value, valueOf(p.children![1])]));
  return node.value;
}

/** The file's indentation: the first indented line's leading whitespace (tabs, or a number of spaces). */
function indentationOf(text: string): { insertSpaces: boolean; tabSize: number } {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return { insertSpaces: true, tabSize: 2 };
  return m[1]!.startsWith('\t') ? { insertSpaces: false, tabSize: 1 } : { insertSpaces: true, tabSize: m[1]!.length };
}
