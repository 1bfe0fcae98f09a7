import { splitPath, type Segment } from '../../model/path.js';

/** A scalar or a plain structure of them: what a fix writes at a key. */
export type Plain = string | number | boolean | readonly Plain[] | { readonly [key: string]: Plain };

/**
 * What one fix wants at one key: `set` replaces (or adds) the value;
 * `default` adds the key only when the file does not have it; `remove`
 * deletes the key.
 */
export type Change =
  | { readonly op: 'set'; readonly value: Plain }
  | { readonly op: 'default'; readonly value: Plain }
  | { readonly op: 'remove' };

/** An item a list must hold; an existing item that `replaces` matches is overwritten instead of contradicted by a second one. */
export interface Append {
  readonly item: Plain;
  readonly replaces?: (item: unknown) => boolean;
  /** A list this item refers into (a volumeMount's volumes): the item is added only when that list can take items too. */
  readonly needs?: readonly Segment[];
}

/**
 * The changes to one document as a tree keyed like the document, so every
 * change to one mapping becomes one edit (three fixes that each need a
 * missing `securityContext` insert it once, holding all three keys).
 */
export interface ChangeNode {
  change?: Change;
  readonly appends: Append[];
  readonly children: Map<Segment, ChangeNode>;
}

export const changeTree = (): ChangeNode => ({ appends: [], children: new Map() });

function nodeAt(root: ChangeNode, path: string | readonly Segment[]): ChangeNode {
  let node = root;
  for (const s of typeof path === 'string' ? splitPath(path) : path) {
    let next = node.children.get(s);
    if (!next) node.children.set(s, (next = changeTree()));
    node = next;
  }
  return node;
}

/** Records a change at a logical path; a later change of the same key wins. */
export function addChange(root: ChangeNode, path: string | readonly Segment[], change: Change): void {
  nodeAt(root, path).change = change;
}

/** Records an item the list at a logical path must hold (equal items are added once). */
export function addAppend(root: ChangeNode, path: string | readonly Segment[], append: Append): void {
  const node = nodeAt(root, path);
  if (!node.appends.some((a) => samePlain(a.item, append.item))) node.appends.push(append);
}

export function samePlain(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What the subtree amounts to when the key is missing from the file: a value to insert, or undefined when nothing is to be added. */
export function valueToInsert(node: ChangeNode): Plain | undefined {
  if (node.change?.op === 'remove') return undefined;
  if (node.change) return node.change.value;
  if (node.appends.length) return node.appends.map((a) => a.item);
  const out: Record<string, Plain> = {};
  for (const [key, child] of node.children) {
    const v = valueToInsert(child);
    if (v !== undefined) out[String(key)] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
