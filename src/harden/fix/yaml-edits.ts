import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, stringify, type Document, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { withCloudFormationTags } from '../../inputs/yaml/cloudformation-tags.js';
import { samePlain, valueToInsert, type ChangeNode, type Plain } from './change-tree.js';
import type { Segment } from '../../model/path.js';
import { lineStartAt, nextLineAt, type TextEdit } from './text-edit.js';

/** How the file lays out what is inserted: its indentation step, whether list items are indented under their key, its line ending. */
interface Layout {
  readonly step: number;
  readonly indentSeq: boolean;
  readonly eol: string;
}

/** The documents of a YAML file with their ranges, parsed as the scanner parses them. */
export function yamlDocuments(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, customTags: text.includes('!') ? withCloudFormationTags : null });
  return Array.isArray(docs) ? docs : [];
}

/** The document whose contents hold the offset (the last one starting before it). */
export function documentAt(docs: readonly Document.Parsed[], offset: number): Document.Parsed | undefined {
  let found: Document.Parsed | undefined;
  for (const d of docs) if ((d.contents?.range[0] ?? Infinity) <= offset) found = d;
  return found;
}

/**
 * Text edits that make one YAML document say what the change tree wants,
 * written in the file's own indentation and block/flow style; everything the
 * tree does not name (comments, key order, quoting) is left byte for byte.
 */
export function yamlEdits(text: string, doc: Document.Parsed, tree: ChangeNode, eol: string): TextEdit[] {
  const edits: TextEdit[] = [];
  const layout = { ...layoutOf(text, doc), eol };
  dropUnmet(doc, tree);
  if (doc.contents) visit(text, doc, doc.contents, tree, layout, edits);
  return edits;
}

function visit(text: string, doc: Document.Parsed, node: YamlNode, tree: ChangeNode, layout: Layout, edits: TextEdit[]): void {
  if (isSeq(node)) {
    const removed = new Set<number>();
    for (const [key, child] of tree.children) {
      const item = typeof key === 'number' ? node.items[key] : undefined;
      if (!item || typeof item !== 'object' || !('range' in item)) continue;
      if (child.change?.op === 'remove') removed.add(key as number);
      else visit(text, doc, item as YamlNode, child, layout, edits);
    }
    if (removed.size) edits.push(...seqEdits(text, node, removed, [], layout));
    return;
  }
  if (!isMap(node)) return;
  const missing: Record<string, Plain> = {};
  for (const [key, child] of tree.children) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
    if (!pair) {
      let value = valueToInsert(child);
      // A list the service has through a `<<` merge: its own copy must repeat the merged items, or it would replace them,
      // less the items this fix takes out of it (--aggressive's capabilities; their indexes are the merged list's).
      const removed = removedItems(child);
      if (!child.change && (child.appends.length || removed.size)) {
        const merged = mergedList(doc, node, String(key));
        if (child.appends.length || merged.length) value = [...merged.filter((_, i) => !removed.has(i)), ...((value ?? []) as Plain[])];
      }
      if (value !== undefined) missing[String(key)] = value;
      continue;
    }
    changePair(text, doc, node, pair as Pair<YamlNode, YamlNode | null>, child, layout, edits);
  }
  if (Object.keys(missing).length) edits.push(insertInMap(text, node, missing, layout));
}

function changePair(text: string, doc: Document.Parsed, map: YAMLMap, pair: Pair<YamlNode, YamlNode | null>, tree: ChangeNode, layout: Layout, edits: TextEdit[]): void {
  const value = pair.value;
  const change = tree.change;
  if (change?.op === 'remove') {
    if (!map.flow) {
      const start = lineStartAt(text, pair.key.range![0]);
      const end = nextLineAt(text, Math.max((value?.range ?? pair.key.range!)[1] - 1, pair.key.range![0]));
      edits.push({ start, end, text: '' });
    }
    return;
  }
  if (change?.op === 'set') {
    if (value && isScalar(value) && samePlain(value.value, change.value)) return;
    if (value?.range && !isNull(value)) edits.push({ start: value.range[0], end: value.range[1], text: flow(change.value) });
    else edits.push(...insertUnderKey(text, map, pair, change.value, layout));
    return;
  }
  if (change?.op === 'default') return;
  if (tree.appends.length) {
    if (!value || !isSeq(value)) {
      if (isNull(value)) edits.push(...insertUnderKey(text, map, pair, tree.appends.map((a) => a.item), layout));
      return;
    }
    const toAdd: Plain[] = [];
    for (const a of tree.appends) {
      const items = value.items as YamlNode[];
      if (items.some((i) => samePlain(plainOf(doc, i), a.item))) continue;
      const wrong = a.replaces ? items.find((i) => a.replaces!(plainOf(doc, i))) : undefined;
      if (wrong?.range) edits.push({ start: wrong.range[0], end: wrong.range[1], text: flow(a.item) });
      else toAdd.push(a.item);
    }
    // Items the same fix takes out (--aggressive's capabilities) and adds (the suggestion): one rewrite of the list.
    edits.push(...seqEdits(text, value, removedItems(tree), toAdd, layout));
    return;
  }
  if (value && (isMap(value) || isSeq(value))) {
    visit(text, doc, value, tree, layout, edits);
    return;
  }
  const inserted = valueToInsert(tree);
  if (isNull(value) && inserted !== undefined) edits.push(...insertUnderKey(text, map, pair, inserted, layout));
}

/** The indexes of the list items the tree takes out. */
function removedItems(tree: ChangeNode): Set<number> {
  return new Set([...tree.children].filter(([k, c]) => typeof k === 'number' && c.change?.op === 'remove').map(([k]) => k as number));
}

/** A key with no value: nothing after the colon, `~` or `null`. Edits treat it as missing. */
function isNull(node: YamlNode | null | undefined): boolean {
  return !node || (isScalar(node) && node.value === null);
}

/**
 * Items taken out of a list and added to it: a block list loses the lines of
 * the items taken out and gets the new ones after its last; a flow list is
 * written again with the items kept, as they were written, and the new ones.
 */
function seqEdits(text: string, seq: YAMLSeq, removed: ReadonlySet<number>, toAdd: readonly Plain[], layout: Layout): TextEdit[] {
  const items = seq.items as YamlNode[];
  if (!removed.size) return toAdd.length ? [appendToSeq(text, seq, toAdd, layout)] : [];
  if (seq.flow) {
    const kept = items.filter((_, i) => !removed.has(i)).map((i) => text.slice(i.range![0], i.range![1]));
    return [{ start: seq.range![0], end: seq.range![1], text: `[${[...kept, ...toAdd.map(flow)].join(', ')}]` }];
  }
  if (removed.size === items.length && !toAdd.length) {
    // Every item goes: an empty flow list where the first dash was, so the key keeps a list.
    const start = text.lastIndexOf('-', items[0]!.range![0]);
    return [{ start, end: items[items.length - 1]!.range![1], text: '[]' }];
  }
  const deletions = [...removed].map((i) => {
    const item = items[i]!;
    const start = lineStartAt(text, text.lastIndexOf('-', item.range![0]));
    return { start, end: nextLineAt(text, Math.max(item.range![1] - 1, item.range![0])), text: '' };
  });
  return toAdd.length ? [...deletions, appendToSeq(text, seq, toAdd, layout)] : deletions;
}

/** Keys added to a mapping: one block of lines after its last entry, or `, key: value` before a flow mapping's `}`. */
function insertInMap(text: string, map: YAMLMap, values: Record<string, Plain>, layout: Layout): TextEdit {
  const range = map.range!;
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1] - 1);
    const body = Object.entries(values).map(([k, v]) => `${flow(k)}: ${flow(v)}`).join(', ');
    return { start: close, end: close, text: map.items.length ? `, ${body}` : body };
  }
  const first = map.items[0]!;
  const indent = columnOf(text, (first.key as YamlNode).range![0]);
  const last = map.items[map.items.length - 1]!;
  const lastEnd = ((last.value as YamlNode | null)?.range ?? (last.key as YamlNode).range!)[1];
  const at = nextLineAt(text, Math.max(lastEnd - 1, 0));
  const lead = at === text.length && !text.endsWith('\n') ? layout.eol : '';
  return { start: at, end: at, text: lead + block(values, indent, layout) };
}

/**
 * A value for a key written with no value (`securityContext:`, `~`, `null`):
 * a scalar, or anything in a flow mapping, after the colon in place of the
 * null; a block mapping or list in the lines under the key.
 */
function insertUnderKey(text: string, map: YAMLMap, pair: Pair<YamlNode, YamlNode | null>, value: Plain, layout: Layout): TextEdit[] {
  const keyStart = pair.key.range![0];
  const colon = text.indexOf(':', pair.key.range![1]);
  // The `~` or `null` written after the colon goes; an empty value has an empty range there.
  const range = pair.value?.range;
  const nullEnd = range && range[1] > range[0] ? range[1] : colon + 1;
  if (typeof value !== 'object' || map.flow) return [{ start: colon + 1, end: nullEnd, text: ` ${flow(value)}` }];
  const dropNull: TextEdit[] = nullEnd > colon + 1 ? [{ start: colon + 1, end: nullEnd, text: '' }] : [];
  const at = nextLineAt(text, Math.max(keyStart, nullEnd - 1));
  const indent = columnOf(text, keyStart) + (Array.isArray(value) && !layout.indentSeq ? 0 : layout.step);
  const lines = stringify(value, { indent: layout.step, indentSeq: layout.indentSeq, lineWidth: 0 }).trimEnd().split('\n');
  const lead = at === text.length && !text.endsWith('\n') ? layout.eol : '';
  return [...dropNull, { start: at, end: at, text: lead + lines.map((l) => ' '.repeat(indent) + l + layout.eol).join('') }];
}

function appendToSeq(text: string, seq: YAMLSeq, items: readonly Plain[], layout: Layout): TextEdit {
  const range = seq.range!;
  if (seq.flow) {
    const close = text.lastIndexOf(']', range[1] - 1);
    const body = items.map(flow).join(', ');
    return { start: close, end: close, text: seq.items.length ? `, ${body}` : body };
  }
  const first = seq.items[0] as YamlNode;
  const dashColumn = columnOf(text, text.lastIndexOf('-', first.range![0]));
  const lastEnd = (seq.items[seq.items.length - 1] as YamlNode).range![1];
  const at = nextLineAt(text, Math.max(lastEnd - 1, 0));
  const lines = stringify(items, { indent: layout.step, indentSeq: layout.indentSeq, lineWidth: 0 }).trimEnd().split('\n');
  const lead = at === text.length && !text.endsWith('\n') ? layout.eol : '';
  return { start: at, end: at, text: lead + lines.map((l) => ' '.repeat(dashColumn) + l + layout.eol).join('') };
}

function block(values: Record<string, Plain>, indent: number, layout: Layout): string {
  const lines = stringify(values, { indent: layout.step, indentSeq: layout.indentSeq, lineWidth: 0 }).trimEnd().split('\n');
  return lines.map((l) => ' '.repeat(indent) + l + layout.eol).join('');
}

/** One line of YAML in flow style: plain words stay plain, quoted only where YAML needs it. */
function flow(value: Plain): string {
  if (typeof value === 'string') return stringify(value, { lineWidth: 0 }).trimEnd();
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${flow(k)}: ${flow(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return String(value);
}

function columnOf(text: string, offset: number): number {
  return offset - lineStartAt(text, offset);
}

function plainOf(doc: Document.Parsed, node: YamlNode): unknown {
  return node.toJS(doc);
}

/** Takes out the appends whose `needs` list the edits cannot add to, so nothing refers to an item that is not there. */
function dropUnmet(doc: Document.Parsed, tree: ChangeNode): void {
  for (let i = tree.appends.length - 1; i >= 0; i--) {
    const needs = tree.appends[i]!.needs;
    if (needs && !canTakeItems(doc, needs)) tree.appends.splice(i, 1);
  }
  for (const child of tree.children.values()) dropUnmet(doc, child);
}

/** True when the edits can add an item to the list at the path: it is a list, or it or a mapping on its way is missing or null (it is inserted). */
function canTakeItems(doc: Document.Parsed, path: readonly Segment[]): boolean {
  let node: unknown = doc.contents;
  for (const s of path) {
    if (isNull(node as YamlNode | null)) return true;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(s));
      if (!pair) return true;
      node = pair.value;
    } else if (isSeq(node) && typeof s === 'number') {
      node = node.items[s];
      if (node === undefined) return false;
    } else {
      return false; // an alias, a scalar, a list where a mapping should be: the edits do not go into it
    }
  }
  return isNull(node as YamlNode | null) || isSeq(node);
}

/** The items a `<<` merge gives a mapping's key, when the mapping does not set it itself. */
function mergedList(doc: Document.Parsed, map: YAMLMap, key: string): Plain[] {
  const merge = map.items.find((p) => isScalar(p.key) && p.key.value === '<<');
  if (!merge?.value) return [];
  const sources = isSeq(merge.value) ? (merge.value.items as YamlNode[]) : [merge.value as YamlNode];
  for (const s of sources) {
    const target = isAlias(s) ? s.resolve(doc) : s;
    if (target && isMap(target) && target.has(key)) {
      const v = (target.get(key, true) as YamlNode).toJS(doc) as unknown;
      return Array.isArray(v) ? (v as Plain[]) : [];
    }
  }
  return [];
}

/** The file's indentation step (the first nested mapping's) and whether its lists are indented under their key. */
function layoutOf(text: string, doc: Document.Parsed): { step: number; indentSeq: boolean } {
  let step: number | undefined;
  let indentSeq: boolean | undefined;
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || (step !== undefined && indentSeq !== undefined)) return;
    if (isMap(node) && !node.flow) {
      for (const p of node.items) {
        const key = p.key as YamlNode | null;
        const v = p.value as YamlNode | null;
        if (!key?.range || !v) continue;
        const keyCol = columnOf(text, key.range[0]);
        if (step === undefined && isMap(v) && !v.flow && v.items[0]?.key) {
          const d = columnOf(text, (v.items[0].key as YamlNode).range![0]) - keyCol;
          if (d > 0) step = d;
        }
        if (indentSeq === undefined && isSeq(v) && !v.flow && v.items[0]) {
          const first = v.items[0] as YamlNode;
          indentSeq = columnOf(text, text.lastIndexOf('-', first.range![0])) > keyCol;
        }
        walk(v, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const i of node.items) walk(i, depth + 1);
    }
  };
  walk(doc.contents, 0);
  return { step: step ?? 2, indentSeq: indentSeq ?? true };
}
