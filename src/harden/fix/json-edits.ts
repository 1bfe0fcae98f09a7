import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { samePlain, valueToInsert, type ChangeNode, type Plain } from './change-tree.js';
import { lineStartAt, nextLineAt, type TextEdit } from './text-edit.js';

/**
 * Text edits that make a JSON file say what the change tree wants, laid out
 * like the file: missing keys go after an object's last property on lines of
 * their own (in the file's indentation) or inline in a one-line object;
 * items join a list the way it is written. Nothing the tree does not name
 * moves (jsonc-parser's `modify` re-lays out neighbouring values, so it is
 * used only for parsing here).
 */
export function jsonEdits(text: string, tree: ChangeNode, eol: string): TextEdit[] {
  const root = parseTree(text);
  const edits: TextEdit[] = [];
  if (root) visit(text, root, tree, { unit: indentUnitOf(text), eol }, edits);
  return edits;
}

interface Layout {
  readonly unit: string;
  readonly eol: string;
}

function visit(text: string, node: JsonNode, tree: ChangeNode, layout: Layout, edits: TextEdit[]): void {
  if (node.type === 'array') {
    const removed = new Set<number>();
    for (const [key, child] of tree.children) {
      const item = typeof key === 'number' ? node.children?.[key] : undefined;
      if (!item) continue;
      if (child.change?.op === 'remove') removed.add(key as number);
      else visit(text, item, child, layout, edits);
    }
    if (removed.size) edits.push(removeItems(text, node, removed, [], layout));
    return;
  }
  if (node.type !== 'object') return;
  const missing: [string, Plain][] = [];
  for (const [key, child] of tree.children) {
    const prop = node.children?.find((p) => p.children?.[0]?.value === key);
    const value = prop?.children?.[1];
    if (!prop || !value || (value.type === 'null' && child.change?.op !== 'remove')) {
      const v = valueToInsert(child);
      if (v === undefined) continue;
      if (prop && value) edits.push({ start: value.offset, end: value.offset + value.length, text: pretty(v, indentAt(text, prop.offset), layout) });
      else missing.push([String(key), v]);
      continue;
    }
    const change = child.change;
    if (change?.op === 'remove') {
      edits.push(removeProperty(text, node, prop));
    } else if (change?.op === 'set') {
      if (!samePlain(valueOf(value), change.value)) edits.push({ start: value.offset, end: value.offset + value.length, text: pretty(change.value, indentAt(text, prop.offset), layout) });
    } else if (change?.op !== 'default' && child.appends.length && value.type === 'array') {
      const items = value.children ?? [];
      const toAdd: Plain[] = [];
      for (const a of child.appends) {
        if (items.some((i) => samePlain(valueOf(i), a.item))) continue;
        const wrong = a.replaces ? items.find((i) => a.replaces!(valueOf(i))) : undefined;
        if (wrong) edits.push({ start: wrong.offset, end: wrong.offset + wrong.length, text: JSON.stringify(a.item) });
        else toAdd.push(a.item);
      }
      // Items --aggressive takes out of the same list: one rewrite of it, with the new items.
      const removed = new Set([...child.children].filter(([k, c]) => typeof k === 'number' && c.change?.op === 'remove').map(([k]) => k as number));
      if (removed.size) edits.push(removeItems(text, value, removed, toAdd, layout));
      else if (toAdd.length) edits.push(appendItems(text, value, toAdd, layout));
    } else if (!change) {
      visit(text, value, child, layout, edits);
    }
  }
  if (missing.length) edits.push(addProperties(text, node, missing, layout));
}

/** Properties after an object's last one: each on its own line at the properties' indentation, or inline when the object is on one line. */
function addProperties(text: string, object: JsonNode, props: readonly [string, Plain][], layout: Layout): TextEdit {
  const children = object.children ?? [];
  const last = children[children.length - 1];
  const close = object.offset + object.length - 1;
  const multiLine = text.slice(object.offset, close).includes('\n');
  if (!multiLine) {
    const body = props.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
    return last ? { start: last.offset + last.length, end: last.offset + last.length, text: `, ${body}` } : { start: close, end: close, text: ` ${body} ` };
  }
  const indent = last ? indentAt(text, last.offset) : indentAt(text, object.offset) + layout.unit;
  const lines = props.map(([k, v]) => indent + `${JSON.stringify(k)}: ${pretty(v, indent, layout)}`);
  if (last) return { start: last.offset + last.length, end: last.offset + last.length, text: `,${layout.eol}${lines.join(`,${layout.eol}`)}` };
  return { start: object.offset + 1, end: object.offset + 1, text: `${layout.eol}${lines.join(`,${layout.eol}`)}${layout.eol}${indentAt(text, object.offset)}` };
}

function appendItems(text: string, array: JsonNode, items: readonly Plain[], layout: Layout): TextEdit {
  const children = array.children ?? [];
  const last = children[children.length - 1];
  const close = array.offset + array.length - 1;
  const multiLine = text.slice(array.offset, close).includes('\n');
  if (!last) return { start: close, end: close, text: items.map((i) => JSON.stringify(i)).join(', ') };
  if (!multiLine) return { start: last.offset + last.length, end: last.offset + last.length, text: items.map((i) => `, ${JSON.stringify(i)}`).join('') };
  const indent = indentAt(text, last.offset);
  return { start: last.offset + last.length, end: last.offset + last.length, text: items.map((i) => `,${layout.eol}${indent}${pretty(i, indent, layout)}`).join('') };
}

/** Items taken out of a list (and others added): the list written again with the items kept, each as it was written, one line or one per line as before. */
function removeItems(text: string, array: JsonNode, removed: ReadonlySet<number>, toAdd: readonly Plain[], layout: Layout): TextEdit {
  const items = array.children ?? [];
  const close = array.offset + array.length - 1;
  const start = array.offset + 1;
  const multiLine = text.slice(array.offset, close).includes('\n') && items[0] !== undefined;
  const indent = multiLine ? indentAt(text, items[0]!.offset) : '';
  const kept = [
    ...items.filter((_, i) => !removed.has(i)).map((i) => text.slice(i.offset, i.offset + i.length)),
    ...toAdd.map((v) => pretty(v, indent, layout)),
  ];
  if (!multiLine) return { start, end: close, text: kept.join(', ') };
  const eol = layout.eol;
  return { start, end: close, text: kept.length ? `${eol}${indent}${kept.join(`,${eol}${indent}`)}${eol}${indentAt(text, close)}` : '' };
}

/** A property removed with its line when it has one to itself, else with the comma that joins it to a neighbour. */
function removeProperty(text: string, object: JsonNode, prop: JsonNode): TextEdit {
  const siblings = object.children ?? [];
  const i = siblings.indexOf(prop);
  const prev = siblings[i - 1];
  const next = siblings[i + 1];
  if (next) return { start: prop.offset, end: next.offset, text: '' };
  if (prev) {
    const start = prev.offset + prev.length;
    return { start, end: prop.offset + prop.length, text: '' };
  }
  const lineStart = lineStartAt(text, prop.offset);
  const end = nextLineAt(text, prop.offset + prop.length);
  return text.slice(lineStart, prop.offset).trim() === '' ? { start: lineStart, end, text: '' } : { start: prop.offset, end: prop.offset + prop.length, text: '' };
}

/** A value written over several lines, its inner lines indented from `indent` by the file's unit. */
function pretty(value: Plain, indent: string, layout: Layout): string {
  // A list of words stays on one line, as task definitions write them (["ALL"]).
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return JSON.stringify(value).replace(/","/g, '", "');
  if (typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + layout.unit;
  const lines = Array.isArray(value)
    ? value.map((v) => inner + pretty(v, inner, layout))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner, layout)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return lines.length ? `${open}${layout.eol}${lines.join(`,${layout.eol}`)}${layout.eol}${indent}${close}` : `${open}${close}`;
}

function indentAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function valueOf(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  if (node.type === 'array') return (node.children ?? []).map(valueOf);
  if (node.type === 'object') return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value, valueOf(p.children![1])]));
  return node.value;
}

/** The file's indentation unit: the first indented line's leading whitespace (a tab, or that many spaces). */
function indentUnitOf(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  if (!m) return '  ';
  return m[1]!.startsWith('\t') ? '\t' : m[1]!;
}
